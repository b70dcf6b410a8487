using System.CommandLine;
using System.Collections;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>
/// `registry serve|gc`: the OCI distribution registry. The server is its own NativeAOT binary,
/// berth-registry (ASP.NET Core's Kestrel would more than double berth's size; see ARCHITECTURE.md),
/// so these verbs check their flags and then exec it in place: same PID, so SIGTERM reaches the
/// server itself and its exit status is the command's.
/// </summary>
internal static class RegistryCommand
{
    public static Command Build()
    {
        var registry = new Command("registry", "run an OCI distribution registry (berth-registry)");
        registry.Subcommands.Add(Serve());
        registry.Subcommands.Add(Gc());
        return registry;
    }

    private static Command Serve()
    {
        var command = new Command("serve", "serve a registry from --root until SIGTERM or SIGINT");
        string[] valued = ["--addr", "--tls-cert", "--tls-key", "--auth", "--htpasswd", "--realm", "--token-key", "--token-ttl",
            "--upload-ttl", "--gc-interval", "--gc-grace"];
        var options = valued.Select(name => new Option<string?>(name) { Description = Describe(name) }).ToList();
        var anonymousPull = new Option<bool>("--anonymous-pull") { Description = "token auth: clients without credentials may pull" };
        foreach (var option in options)
            command.Options.Add(option);
        command.Options.Add(anonymousPull);
        command.SetAction(r => Cli.Execute(() =>
        {
            var args = new List<string> { "serve", "--root", RegistryRoot(r) };
            foreach (var option in options)
            {
                if (r.GetValue(option) is { } value)
                    args.AddRange([option.Name, value]);
            }
            if (r.GetValue(anonymousPull))
                args.Add("--anonymous-pull");
            return ExecServer(args);
        }));
        return command;
    }

    private static Command Gc()
    {
        var command = new Command("gc", "delete blobs no manifest references (safe while serving)");
        var grace = new Option<string?>("--grace") { Description = "spare unreferenced blobs younger than this (default 1h)" };
        var uploadTtl = new Option<string?>("--upload-ttl") { Description = "also purge uploads idle this long" };
        command.Options.Add(grace);
        command.Options.Add(uploadTtl);
        command.SetAction(r => Cli.Execute(() =>
        {
            var args = new List<string> { "gc", "--root", RegistryRoot(r) };
            if (r.GetValue(grace) is { } g)
                args.AddRange(["--grace", g]);
            if (r.GetValue(uploadTtl) is { } u)
                args.AddRange(["--upload-ttl", u]);
            return ExecServer(args);
        }));
        return command;
    }

    /// <summary>The registry's storage: `--root DIR` (berth's global flag, here the registry's root) is required.</summary>
    private static string RegistryRoot(ParseResult r) =>
        Path.GetFullPath(r.GetValue(Cli.Root) ?? throw BerthException.InvalidArgument("registry: --root DIR (the registry's storage) is required"));

    private static int ExecServer(List<string> args)
    {
        var binDir = Path.GetDirectoryName(Environment.ProcessPath) ?? "/usr/local/bin";
        var server = Path.Combine(binDir, "berth-registry");
        if (!File.Exists(server))
            throw BerthException.NotFound($"registry: `{server}` not found (scripts/build builds it beside berth)");
        var env = new List<string>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            env.Add($"{entry.Key}={entry.Value}");
        Console.Out.Flush();
        Berth.Linux.Exec.Replace(server, ["berth-registry", .. args], env, firstToClose: 3);
        return 1;
    }

    private static string Describe(string name) => name switch
    {
        "--addr" => "listen address HOST:PORT (default 127.0.0.1:5000)",
        "--tls-cert" => "PEM certificate: serve HTTPS (with --tls-key)",
        "--tls-key" => "PEM private key",
        "--auth" => "none (default), htpasswd, or token",
        "--htpasswd" => "bcrypt htpasswd file (htpasswd -B)",
        "--realm" => "Basic realm / token service name",
        "--token-key" => "token signing key file, 32+ bytes",
        "--token-ttl" => "token lifetime (default 15m)",
        "--upload-ttl" => "purge uploads idle this long (default 24h)",
        "--gc-interval" => "run GC in the background this often (default: never)",
        "--gc-grace" => "spare unreferenced blobs younger than this (default 1h)",
        _ => "",
    };
}
