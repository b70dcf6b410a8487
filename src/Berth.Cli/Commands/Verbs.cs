using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary>Every verb, docker's names and groups (`berth rm` and `berth container rm` alike).</summary>
internal static class Verbs
{
    public static IEnumerable<Command> All()
    {
        foreach (var command in ContainerVerbs())
            yield return command;
        foreach (var command in ImageVerbs(topLevel: true))
            yield return command;
        var container = new Command("container", "manage containers");
        foreach (var command in ContainerVerbs())
            container.Subcommands.Add(command);
        container.Subcommands.Add(PsCommand.Build("ls", "list containers"));
        container.Subcommands.Add(CleanupCommand.Build());
        foreach (var command in SystemVerbs.ContainerGroup())
            container.Subcommands.Add(command);
        yield return container;
        var image = new Command("image", "manage images");
        foreach (var command in ImageVerbs(topLevel: false))
            image.Subcommands.Add(command);
        image.Subcommands.Add(PullCommand.Build());
        image.Subcommands.Add(PushCommand.Build());
        yield return image;
        foreach (var command in SystemVerbs.TopLevel())
            yield return command;
        yield return RegistryCommand.Build();
        foreach (var command in RegistryVerbs())
            yield return command;
    }

    /// <summary>The registry client's verbs: pull, push, login, logout (also `image pull` / `image push`).</summary>
    private static IEnumerable<Command> RegistryVerbs()
    {
        yield return PullCommand.Build();
        yield return PushCommand.Build();
        yield return LoginCommand.Build();
        yield return LogoutCommand.Build();
    }

    private static IEnumerable<Command> ContainerVerbs()
    {
        yield return RunCommand.Build();
        yield return CreateCommand.Build();
        yield return StartCommand.Build();
        yield return StopCommand.Build("stop", "stop one or more running containers");
        yield return StopCommand.Build("restart", "restart one or more containers");
        yield return KillCommand.Build();
        yield return PauseCommand.Build("pause", "pause all processes within one or more containers");
        yield return PauseCommand.Build("unpause", "unpause all processes within one or more containers");
        yield return RmCommand.Build();
        yield return PsCommand.Build("ps", "list containers");
        foreach (var command in ExtraContainerVerbs.All())
            yield return command;
    }

    private static IEnumerable<Command> ImageVerbs(bool topLevel)
    {
        if (topLevel)
        {
            yield return ImagesCommand.Build("images");
        }
        else
        {
            yield return ImagesCommand.Build("ls");
            yield return BootstrapCommand.Build();
        }
        foreach (var command in ExtraImageVerbs.All(topLevel))
            yield return command;
        yield return BuildCommand.Build();
    }

    /// <summary>Verbs whose flags end at their first positional argument (the image or container), as docker's.</summary>
    public static bool StopsAtFirstArgument(Command command) => command.Name is "run" or "create" or "exec" or "top";
}
