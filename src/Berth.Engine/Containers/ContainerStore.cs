using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Engine.Model;
using Berth.Errdefs;
using Berth.Linux.Files;

namespace Berth.Engine.Containers;

/// <summary>
/// The containers on disk: one directory per container, <c>containers/ID/</c>, holding
/// <c>container.json</c> (the <see cref="ContainerRecord"/>), its bundle, snapshot, log and the
/// monitor's files. A container appears by renaming a complete temp directory into place, so a
/// crash never leaves a half-made one visible; names are unique because creating and renaming
/// take one store-wide lock (<c>containers/names.lock</c>) and check every record inside it.
/// Changes to one container take its own lock (<see cref="Lock"/>), so two commands racing on
/// it run one after the other.
/// </summary>
public sealed partial class ContainerStore
{
    public const string RecordFile = "container.json";

    public ContainerStore(string root)
    {
        Root = root;
        Durable.EnsureDirectory(root);
    }

    public string Root { get; }

    public string Dir(string id) => Path.Combine(Root, id);

    /// <summary>Takes the container's lock; NotFound when it does not exist (any more).</summary>
    public FileLock Lock(string id)
    {
        var dir = Dir(id);
        if (!Directory.Exists(dir))
            throw BerthException.NotFound($"No such container: {id}");
        FileLock held;
        try
        {
            held = FileLock.Acquire(Path.Combine(dir, "lock"));
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
            // Removed (rm -f) between the check and the lock.
            throw BerthException.NotFound($"No such container: {id}");
        }
        if (!File.Exists(Path.Combine(dir, RecordFile)))
        {
            held.Dispose();
            throw BerthException.NotFound($"No such container: {id}");
        }
        return held;
    }

    public static string NewId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Adds a container: Conflict when the name is taken (docker's message), InvalidArgument when
    /// it is not a valid name. <paramref name="prepare"/> fills the new directory before it becomes
    /// visible; if it throws, nothing is left behind.
    /// </summary>
    public ContainerRecord Create(ContainerRecord record, Action<string>? prepare = null)
    {
        var name = record.Name;
        if (name.Length == 0)
            name = UniqueGeneratedName();
        else
            ValidateName(name);
        record = record with { Name = name };

        using var names = FileLock.Acquire(Path.Combine(Root, "names.lock"));
        RemoveDeadCreates();
        if (FindByName(name) is { } taken)
            throw NameConflict(name, taken.Id);
        var temp = Path.Combine(Root, ".tmp-" + record.Id);
        Directory.CreateDirectory(temp);
        try
        {
            prepare?.Invoke(temp);
            Write(temp, record);
            Directory.Move(temp, Dir(record.Id));
            Durable.FsyncDirectory(Root);
        }
        catch
        {
            if (Directory.Exists(temp))
                Directory.Delete(temp, recursive: true);
            throw;
        }
        return record;
    }

    /// <summary>Finds a container by full id, name, or unique id prefix, as docker does; NotFound is docker's "No such container: X".</summary>
    public ContainerRecord Resolve(string text)
    {
        if (string.IsNullOrEmpty(text))
            throw BerthException.InvalidArgument("container name or id is empty");
        if (IdPattern().IsMatch(text) && TryRead(text) is { } exact)
            return exact;
        var name = text.TrimStart('/');
        var all = List();
        if (all.FirstOrDefault(c => c.Name == name) is { } byName)
            return byName;
        if (PrefixPattern().IsMatch(text))
        {
            var matches = all.Where(c => c.Id.StartsWith(text, StringComparison.Ordinal)).ToList();
            if (matches.Count == 1)
                return matches[0];
            if (matches.Count > 1)
                throw BerthException.InvalidArgument($"multiple IDs found with provided prefix: {text}");
        }
        throw BerthException.NotFound($"No such container: {text}");
    }

    public ContainerRecord? TryRead(string id)
    {
        var path = Path.Combine(Dir(id), RecordFile);
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), ModelJsonContext.Default.ContainerRecord);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException e)
        {
            throw BerthException.FailedPrecondition($"read container `{id}`: {path}: {e.Message}");
        }
    }

    /// <summary>Every container, oldest first (ps sorts newest first itself).</summary>
    public IReadOnlyList<ContainerRecord> List()
    {
        var list = new List<ContainerRecord>();
        foreach (var dir in Directory.EnumerateDirectories(Root))
        {
            var id = Path.GetFileName(dir);
            if (!IdPattern().IsMatch(id))
                continue;
            if (TryRead(id) is { } record)
                list.Add(record);
        }
        list.Sort((a, b) => a.Created.CompareTo(b.Created));
        return list;
    }

    /// <summary>Replaces a container's record (atomically). The caller holds its lock.</summary>
    public void Update(ContainerRecord record) => Write(Dir(record.Id), record);

    /// <summary>Renames under the store-wide lock; Conflict when the new name is taken.</summary>
    public ContainerRecord Rename(ContainerRecord record, string newName)
    {
        ValidateName(newName);
        using var names = FileLock.Acquire(Path.Combine(Root, "names.lock"));
        if (FindByName(newName) is { } taken)
            throw taken.Id == record.Id
                ? BerthException.InvalidArgument($"Renaming a container with the same name as its current name")
                : NameConflict(newName, taken.Id);
        var current = TryRead(record.Id) ?? throw BerthException.NotFound($"No such container: {record.Id}");
        var renamed = current with { Name = newName };
        Update(renamed);
        return renamed;
    }

    /// <summary>
    /// Deletes a container's directory: first renamed aside (so it vanishes from listings at
    /// once), then removed. The caller has already released its mounts.
    /// </summary>
    public void Delete(string id)
    {
        var dir = Dir(id);
        var doomed = Path.Combine(Root, ".rm-" + id);
        if (Directory.Exists(dir))
            Directory.Move(dir, doomed);
        if (Directory.Exists(doomed))
            Directory.Delete(doomed, recursive: true);
    }

    /// <summary>
    /// Only a holder of names.lock makes <c>.tmp-</c> directories, so while it is held any there
    /// belongs to a create that died (a killed <c>run -d</c>): removed before the next create,
    /// together with what killed removes left.
    /// </summary>
    private void RemoveDeadCreates()
    {
        // A `.rm-` directory belongs to a remove in progress while its lock is held (the remover
        // holds the container's lock throughout), else to one that was killed.
        foreach (var dir in Directory.EnumerateDirectories(Root, ".rm-*"))
        {
            FileLock? held;
            try
            {
                held = FileLock.TryAcquire(Path.Combine(dir, "lock"));
            }
            catch (BerthException)
            {
                continue;
            }
            if (held is null)
                continue;
            using var _ = held;
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for a later create.
            }
        }
        foreach (var dir in Directory.EnumerateDirectories(Root, ".tmp-*"))
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // Something still mounted there: left for a later create.
            }
        }
    }

    public static void ValidateName(string name)
    {
        if (!NamePattern().IsMatch(name))
            throw BerthException.InvalidArgument($"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    }

    private static void Write(string dir, ContainerRecord record) =>
        AtomicFile.Write(Path.Combine(dir, RecordFile), JsonSerializer.SerializeToUtf8Bytes(record, ModelJsonContext.Default.ContainerRecord));

    private ContainerRecord? FindByName(string name) => List().FirstOrDefault(c => c.Name == name);

    private string UniqueGeneratedName()
    {
        var taken = List().Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; ; i++)
        {
            var name = NameGenerator.Next();
            if (i > 10)
                name += "_" + Random.Shared.Next(1000);
            if (!taken.Contains(name))
                return name;
        }
    }

    private static BerthException NameConflict(string name, string id) => BerthException.Conflict(
        $"Conflict. The container name \"/{name}\" is already in use by container \"{id}\". You have to remove (or rename) that container to be able to reuse that name.");

    [GeneratedRegex("^[a-f0-9]{64}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-f0-9]{1,64}$")]
    private static partial Regex PrefixPattern();

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex NamePattern();
}
