using System.CommandLine;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>`cp [-a] [-L] CONTAINER:SRC DEST|-` and `cp [-a] [-L] SRC|- CONTAINER:DEST`: docker's copy rules, running or stopped containers.</summary>
internal static class CpCommand
{
    public static Command Build()
    {
        var archive = new Option<bool>("--archive", "-a") { Description = "archive mode (copy all uid/gid information)" };
        var follow = new Option<bool>("--follow-link", "-L") { Description = "always follow symbol link in SRC_PATH" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "suppress progress output during copy" };
        var source = new Argument<string>("src");
        var destination = new Argument<string>("dest");
        var command = new Command("cp", "copy files/folders between a container and the local filesystem");
        command.Options.Add(archive);
        command.Options.Add(follow);
        command.Options.Add(quiet);
        command.Arguments.Add(source);
        command.Arguments.Add(destination);
        command.SetAction(r => Cli.ExecuteAsync(async () =>
        {
            var (srcContainer, srcPath) = Split(r.GetValue(source)!);
            var (dstContainer, dstPath) = Split(r.GetValue(destination)!);
            var containers = Cli.Engine(r).Containers;
            if (srcContainer is not null && dstContainer is not null)
                throw BerthException.InvalidArgument("copying between containers is not supported");
            if (srcContainer is null && dstContainer is null)
                throw BerthException.InvalidArgument("must specify at least one container source");
            if (srcContainer is not null)
            {
                await using var stdout = Console.OpenStandardOutput();
                await containers.CopyFromAsync(srcContainer, srcPath, dstPath, r.GetValue(follow), stdout).ConfigureAwait(false);
            }
            else
            {
                await using var stdin = Console.OpenStandardInput();
                await containers.CopyToAsync(dstContainer!, srcPath, dstPath, r.GetValue(follow), stdin).ConfigureAwait(false);
            }
            return 0;
        }));
        return command;
    }

    /// <summary>docker's splitCpArg: CONTAINER:PATH, unless the text is a local path (absolute, or ./…).</summary>
    public static (string? Container, string Path) Split(string text)
    {
        if (text.StartsWith('/') || text.StartsWith("./", StringComparison.Ordinal) || text == "-")
            return (null, text);
        var colon = text.IndexOf(':');
        if (colon <= 0)
            return (null, text);
        var path = text[(colon + 1)..];
        return (text[..colon], path.Length == 0 ? "/" : path.StartsWith('/') ? path : "/" + path);
    }
}
