using Berth.Errdefs;
using Berth.Images.Layers;

namespace Berth.Cli.Commands;

/// <summary>
/// Where `berth build` reads from, as docker's CLI resolves it: the context directory (or a tar
/// on stdin, unpacked into a temporary directory that Dispose removes) and the Dockerfile (`-f`
/// relative to the current directory, `-f -` from stdin, by default PATH/Dockerfile or
/// PATH/dockerfile; inside a stdin tar, `-f` names a file in the tar).
/// </summary>
internal sealed class BuildInput : IDisposable
{
    private readonly string? _temp;

    private BuildInput(string context, string dockerfileText, string? dockerfilePath, string? temp)
    {
        ContextDirectory = context;
        DockerfileText = dockerfileText;
        DockerfilePath = dockerfilePath;
        _temp = temp;
    }

    public string ContextDirectory { get; }

    public string DockerfileText { get; }

    public string? DockerfilePath { get; }

    public static async Task<BuildInput> OpenAsync(string context, string? file)
    {
        if (context == "-" && file == "-")
            throw BerthException.InvalidArgument("invalid argument: can't use stdin for both build context and dockerfile");
        if (context.Contains("://", StringComparison.Ordinal) || context.StartsWith("git@", StringComparison.Ordinal))
            throw BerthException.InvalidArgument($"unable to prepare context: remote contexts ({context}) are not supported; give a directory or - for a tar on stdin");
        if (context == "-")
            return await FromStdinTarAsync(file).ConfigureAwait(false);
        var dir = Path.GetFullPath(context);
        if (!Directory.Exists(dir))
            throw BerthException.InvalidArgument($"unable to prepare context: path \"{context}\" not found");
        if (file == "-")
        {
            using var reader = new StreamReader(Console.OpenStandardInput());
            return new BuildInput(dir, await reader.ReadToEndAsync().ConfigureAwait(false), null, null);
        }
        var path = file is null ? DefaultDockerfile(dir) : Path.GetFullPath(file);
        return new BuildInput(dir, ReadDockerfile(path), path, null);
    }

    private static async Task<BuildInput> FromStdinTarAsync(string? file)
    {
        var temp = Directory.CreateTempSubdirectory("berth-build-context-").FullName;
        try
        {
            await using (var stdin = Console.OpenStandardInput())
                await LayerApplier.ApplyAsync(stdin, temp, LayerOptions.Default).ConfigureAwait(false);
            var path = file is null ? DefaultDockerfile(temp) : Path.Combine(temp, file.TrimStart('/'));
            if (!Path.GetFullPath(path).StartsWith(temp + "/", StringComparison.Ordinal))
                throw BerthException.InvalidArgument($"the Dockerfile ({file}) must be within the build context");
            return new BuildInput(temp, ReadDockerfile(path), path, temp);
        }
        catch
        {
            Directory.Delete(temp, recursive: true);
            throw;
        }
    }

    private static string DefaultDockerfile(string dir)
    {
        var upper = Path.Combine(dir, "Dockerfile");
        var lower = Path.Combine(dir, "dockerfile");
        return !File.Exists(upper) && File.Exists(lower) ? lower : upper;
    }

    private static string ReadDockerfile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw BerthException.NotFound($"unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat {path}: no such file or directory");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw BerthException.Wrap(e, $"read Dockerfile `{path}`");
        }
    }

    public void Dispose()
    {
        if (_temp is not null && Directory.Exists(_temp))
            Directory.Delete(_temp, recursive: true);
    }
}
