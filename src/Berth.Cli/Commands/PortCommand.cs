using System.CommandLine;
using Berth.Engine.Model;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>
/// `port CONTAINER [PRIVATE_PORT[/PROTO]]`: the container's published ports as docker prints them
/// (`80/tcp -> 0.0.0.0:8080`), from what -p asked for (publishing itself comes with the bridge
/// network).
/// </summary>
internal static class PortCommand
{
    public static Command Build()
    {
        var container = new Argument<string>("container");
        var privatePort = new Argument<string?>("private-port") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("port", "list port mappings or a specific mapping for the container");
        command.Arguments.Add(container);
        command.Arguments.Add(privatePort);
        command.SetAction(r => Cli.Execute(() =>
        {
            var name = r.GetValue(container)!;
            var view = Cli.Engine(r).Containers.Get(name);
            foreach (var line in Lines(view.Record.HostConfig.PortBindings, r.GetValue(privatePort), name))
                Console.Out.WriteLine(line);
            return 0;
        }));
        return command;
    }

    /// <summary>docker port's lines: every mapping sorted by port, or one port's host addresses.</summary>
    public static IReadOnlyList<string> Lines(IReadOnlyDictionary<string, IReadOnlyList<PortBinding>>? bindings, string? privatePort, string container)
    {
        bindings ??= new Dictionary<string, IReadOnlyList<PortBinding>>();
        if (privatePort is { Length: > 0 })
        {
            var parts = privatePort.Split('/', 2);
            var proto = parts.Length > 1 ? parts[1] : "tcp";
            if (!int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
                throw BerthException.InvalidArgument($"invalid port ({parts[0]}): invalid syntax");
            var key = $"{port}/{proto}";
            if (!bindings.TryGetValue(key, out var found) || found.Count == 0)
                throw BerthException.NotFound($"No public port '{key}' published for {container}");
            return found.Select(Address).ToList();
        }
        return bindings
            .OrderBy(kv => PortNumber(kv.Key)).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .SelectMany(kv => kv.Value.Select(b => $"{kv.Key} -> {Address(b)}"))
            .ToList();
    }

    private static string Address(PortBinding b)
    {
        var ip = b.HostIp.Length == 0 ? "0.0.0.0" : b.HostIp;
        return ip.Contains(':') ? $"[{ip}]:{b.HostPort}" : $"{ip}:{b.HostPort}";
    }

    private static int PortNumber(string key) =>
        int.TryParse(key.Split('/')[0].Split('-')[0], System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
}
