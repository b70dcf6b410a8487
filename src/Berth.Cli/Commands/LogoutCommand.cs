using System.CommandLine;
using Berth.Distribution.Client.Credentials;

namespace Berth.Cli.Commands;

/// <summary>`logout [SERVER]`: removes the registry's credential from berth's auth file (docker's config.json is left alone).</summary>
internal static class LogoutCommand
{
    public static Command Build()
    {
        var server = new Argument<string?>("server") { Arity = ArgumentArity.ZeroOrOne, Description = "registry (default docker.io)" };
        var command = new Command("logout", "log out from a registry");
        command.Arguments.Add(server);
        command.SetAction(r => Cli.Execute(() =>
        {
            var host = LoginCommand.RegistryOf(r.GetValue(server));
            var shown = host == "docker.io" ? CredentialStore.DockerHubKey : host;
            // docker 28 says this whether or not it held a credential.
            CredentialStore.Default().Remove(host);
            Console.Out.WriteLine($"Removing login credentials for {shown}");
            return 0;
        }));
        return command;
    }
}
