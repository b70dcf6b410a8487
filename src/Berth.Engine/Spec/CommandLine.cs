using Berth.Engine.Model;
using Berth.Errdefs;
using Berth.Oci.Image;

namespace Berth.Engine.Spec;

/// <summary>
/// Combines a container's Entrypoint and Cmd with its image's into the executable and its
/// arguments, as docker's daemon does when a container is created:
/// a container Entrypoint that is set (even to an empty list, or <c>[""]</c> as
/// <c>--entrypoint ""</c> sends) replaces the image's and then only the container's Cmd is used;
/// otherwise the image Entrypoint is followed by the container's Cmd, or the image's when the
/// container gives none. Nothing to run is InvalidArgument "no command specified".
/// </summary>
public static class CommandLine
{
    public static (string Path, IReadOnlyList<string> Args) Resolve(Config container, ContainerConfig? image)
    {
        ArgumentNullException.ThrowIfNull(container);
        List<string> argv;
        if (container.Entrypoint is { } entrypoint)
        {
            // `--entrypoint ""` arrives as [""]: a cleared entrypoint, not a program named "".
            argv = entrypoint is [""] ? [] : [.. entrypoint];
            argv.AddRange(container.Cmd ?? []);
        }
        else
        {
            argv = [.. image?.Entrypoint ?? []];
            argv.AddRange(container.Cmd is { Count: > 0 } cmd ? cmd : image?.Cmd ?? []);
        }
        if (argv.Count == 0 || argv[0].Length == 0)
            throw BerthException.InvalidArgument("no command specified");
        return (argv[0], argv.GetRange(1, argv.Count - 1));
    }
}
