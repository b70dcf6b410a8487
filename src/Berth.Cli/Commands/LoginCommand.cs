using System.CommandLine;
using System.Text;
using Berth.Distribution.Client.Credentials;
using Berth.Engine.Distribution;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>
/// `login [-u USER] [-p PASS | --password-stdin] [SERVER]`: checks the credential against the
/// registry (GET /v2/, answering its challenge) and only then stores it in berth's auth file
/// (docker's config.json shape, mode 0600). Never prints the secret.
/// </summary>
internal static class LoginCommand
{
    public static Command Build()
    {
        var server = new Argument<string?>("server") { Arity = ArgumentArity.ZeroOrOne, Description = "registry (default docker.io)" };
        var username = new Option<string?>("--username", "-u") { Description = "username" };
        var password = new Option<string?>("--password", "-p") { Description = "password or personal access token" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "take the password or token from stdin" };
        var command = new Command("login", "authenticate to a registry");
        command.Arguments.Add(server);
        command.Options.Add(username);
        command.Options.Add(password);
        command.Options.Add(passwordStdin);
        command.SetAction(r => Cli.Execute(() =>
        {
            var user = r.GetValue(username);
            var secret = r.GetValue(password);
            if (secret is not null && r.GetValue(passwordStdin))
                throw BerthException.InvalidArgument("--password and --password-stdin are mutually exclusive");
            if (r.GetValue(passwordStdin))
            {
                if (string.IsNullOrEmpty(user))
                    throw BerthException.InvalidArgument("Must provide --username with --password-stdin");
                secret = Console.In.ReadToEnd().TrimEnd('\n', '\r');
            }
            else if (secret is not null)
            {
                Console.Error.WriteLine("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
            }
            if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(secret))
            {
                if (!Terminal.IsTerminal(0))
                    throw BerthException.InvalidArgument("Cannot perform an interactive login from a non TTY device");
                if (string.IsNullOrEmpty(user))
                {
                    Console.Out.Write("Username: ");
                    user = Console.ReadLine()?.Trim();
                }
                if (string.IsNullOrEmpty(secret))
                {
                    Console.Out.Write("Password: ");
                    secret = ReadHidden();
                }
                if (string.IsNullOrEmpty(user))
                    throw BerthException.InvalidArgument("Username is required");
                if (string.IsNullOrEmpty(secret))
                    throw BerthException.InvalidArgument("Password is required");
            }
            var host = RegistryOf(r.GetValue(server));
            var registries = Registries.ForRoot(Cli.Engine(r).Options.Root);
            var credential = new RegistryCredential(user, secret);
            try
            {
                using var client = registries.ClientWith(registries.Hosts.ForPush(host), credential);
                client.PingAsync().GetAwaiter().GetResult();
            }
            catch (BerthException e)
            {
                Console.Error.WriteLine($"Error response from daemon: {e.Message}");
                return 1;
            }
            registries.Credentials.Save(host, credential);
            Console.Error.WriteLine($"WARNING! Your credentials are stored unencrypted in '{registries.Credentials.AuthFilePath}'.");
            Console.Out.WriteLine("Login Succeeded");
            return 0;
        }));
        return command;
    }

    /// <summary>A SERVER argument as docker reads it: a scheme and path dropped; docker.io when absent.</summary>
    public static string RegistryOf(string? server) =>
        string.IsNullOrEmpty(server) ? "docker.io" : CredentialStore.HostOf(server.Trim());

    private static string ReadHidden()
    {
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
                break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                    text.Length--;
                continue;
            }
            text.Append(key.KeyChar);
        }
        Console.Out.WriteLine();
        return text.ToString();
    }
}
