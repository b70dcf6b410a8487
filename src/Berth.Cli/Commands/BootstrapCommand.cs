using System.CommandLine;
using Berth.Images.Mutate;
using Berth.Oci.References;

namespace Berth.Cli.Commands;

/// <summary>
/// `image bootstrap [NAME]`: with no registry reachable, make a first image from what the
/// machine has — the static busybox of Debian's busybox-static package. The same busybox always
/// gives the same image digest. NAME defaults to busybox:latest.
/// </summary>
internal static class BootstrapCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("name") { Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "busybox:latest" };
        var command = new Command("bootstrap", "make a base image from the host's busybox-static (no registry needed)");
        command.Arguments.Add(name);
        command.SetAction(r => Cli.ExecuteAsync(async () =>
        {
            var engine = Cli.Engine(r);
            var reference = Reference.ParseDockerRef(r.GetValue(name)!).WithDefaultTag();
            var target = await BaseImage.CreateBusyboxAsync(engine.Images.Content).ConfigureAwait(false);
            await engine.Images.SetNameAsync(reference.ToString(), target).ConfigureAwait(false);
            var image = await engine.Images.ResolveAsync(reference.ToString()).ConfigureAwait(false);
            Console.Out.WriteLine(image.Id.ToString());
            return 0;
        }));
        return command;
    }
}
