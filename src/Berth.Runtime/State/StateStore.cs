using Berth.Linux.Files;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;
using Berth.Oci.Runtime;

namespace Berth.Runtime.State;

/// <summary>
/// The runtime's state root: one directory per container holding state.json and, between
/// `create` and `start`, the exec fifo. state.json is written to a temporary file, fsynced and
/// renamed, so readers see the old or the new record, never a torn one. A directory without
/// state.json is a create that never finished; `delete --force` removes it.
/// </summary>
public sealed partial class StateStore
{
    public const string StateFile = "state.json";
    public const string ExecFifo = "exec.fifo";
    public const string ConfigFile = "config.json";

    public StateStore(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string Dir(string id) => Path.Combine(Root, id);

    public static void ValidateId(string id)
    {
        // 255: the id is a directory name.
        if (string.IsNullOrEmpty(id) || id.Length > 255 || id is "." or ".." || !IdPattern().IsMatch(id))
            throw BerthException.InvalidArgument($"invalid container id `{id}`");
    }

    /// <summary>Makes the container's directory; AlreadyExists when the id is taken.</summary>
    public string Reserve(string id)
    {
        ValidateId(id);
        Directory.CreateDirectory(Root);
        var dir = Dir(id);
        if (Libc.mkdir(dir, 0x1c0) != 0)
        {
            var e = Errno.Last($"create state directory `{dir}`");
            throw e.Errno == Errno.EEXIST ? BerthException.AlreadyExists($"container with id `{id}` already exists") : e;
        }
        return dir;
    }

    public bool Exists(string id) => Directory.Exists(Dir(id));

    public ContainerState Load(string id)
    {
        ValidateId(id);
        var path = Path.Combine(Dir(id), StateFile);
        try
        {
            var bytes = File.ReadAllBytes(path);
            return JsonSerializer.Deserialize(bytes, StateJsonContext.Default.ContainerState)
                ?? throw BerthException.Internal($"state of `{id}` is null");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw BerthException.NotFound($"container `{id}` does not exist");
        }
        catch (JsonException e)
        {
            throw BerthException.Wrap(e, $"read state of `{id}`");
        }
    }

    /// <summary>The container's config as it was created (for exec, which starts from its process).</summary>
    public Spec LoadConfig(string id)
    {
        try
        {
            return Oci.Runtime.SpecLoader.Parse(File.ReadAllBytes(Path.Combine(Dir(id), ConfigFile)), $"config of `{id}`");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw BerthException.NotFound($"container `{id}` does not exist");
        }
    }

    public void SaveConfig(string id, Spec spec) =>
        AtomicFile.Write(Path.Combine(Dir(id), ConfigFile), JsonSerializer.SerializeToUtf8Bytes(spec, RuntimeJsonContext.Default.Spec), durable: false);

    public void Save(ContainerState state)
    {
        var dir = Dir(state.Id);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(state, StateJsonContext.Default.ContainerState);
        AtomicFile.Write(Path.Combine(dir, StateFile), bytes, durable: false);
    }

    public void Remove(string id)
    {
        ValidateId(id);
        var dir = Dir(id);
        // The directory holds only the files named here: unlinking them and rmdir is much
        // cheaper than a recursive delete; anything unexpected falls back to one.
        foreach (var name in (ReadOnlySpan<string>)[StateFile, ConfigFile, ExecFifo])
            Libc.unlink(Path.Combine(dir, name));
        if (Libc.rmdir(dir) == 0)
            return;
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    public IEnumerable<string> Ids() =>
        Directory.Exists(Root)
            ? Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)
            : [];

    /// <summary>Takes an exclusive lock on the container's directory for the life of the handle.</summary>
    public IDisposable Lock(string id)
    {
        ValidateId(id);
        return FileLock.Acquire(Dir(id));
    }

    // ASCII only, as runc's Go \w; \z, not $, which would let a trailing newline through.
    [GeneratedRegex(@"^[A-Za-z0-9_+.-]+\z")]
    private static partial Regex IdPattern();
}
