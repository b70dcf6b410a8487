using System.Globalization;
using System.Net;
using Berth.Errdefs;
using Berth.Registry.Server;

namespace Berth.Registry;

/// <summary>The flags of <c>berth registry serve</c> and <c>gc</c>, parsed by hand (no reflection on the AOT path).</summary>
internal static class CommandLine
{
    public const string Usage = """
        usage: berth registry serve --root DIR [--addr HOST:PORT] [flags]
               berth registry gc --root DIR [--grace DURATION] [--upload-ttl DURATION]

        serve flags:
          --addr HOST:PORT        listen address (default 127.0.0.1:5000)
          --root DIR              storage root (created if missing)
          --tls-cert FILE         PEM certificate: serve HTTPS (with --tls-key)
          --tls-key FILE          PEM private key
          --auth MODE             none (default), htpasswd, or token
          --htpasswd FILE         bcrypt htpasswd file (htpasswd -B) for htpasswd and token auth
          --realm NAME            Basic realm / token service name (default berth-registry)
          --token-key FILE        token signing key, 32+ bytes (default: random per start)
          --token-ttl DURATION    token lifetime (default 15m)
          --anonymous-pull        token auth: clients without credentials may pull
          --upload-ttl DURATION   purge uploads idle this long (default 24h)
          --gc-interval DURATION  run GC in the background this often (default 0: never)
          --gc-grace DURATION     spare unreferenced blobs younger than this (default 1h)

        durations: 500ms, 30s, 10m, 2h, 7d.

        """;

    public static RegistryOptions ParseServe(string[] args)
    {
        var values = Parse(args, ["--addr", "--root", "--tls-cert", "--tls-key", "--auth", "--htpasswd", "--realm", "--token-key",
            "--token-ttl", "--upload-ttl", "--gc-interval", "--gc-grace"], ["--anonymous-pull"]);
        var root = values.GetValueOrDefault("--root") ?? throw BerthException.InvalidArgument("serve: --root DIR is required");
        if ((values.ContainsKey("--tls-cert")) != values.ContainsKey("--tls-key"))
            throw BerthException.InvalidArgument("serve: --tls-cert and --tls-key go together");
        var auth = values.GetValueOrDefault("--auth") ?? (values.ContainsKey("--htpasswd") ? "htpasswd" : "none");
        return new RegistryOptions
        {
            Address = ParseAddress(values.GetValueOrDefault("--addr") ?? "127.0.0.1:5000"),
            Root = Path.GetFullPath(root),
            TlsCert = values.GetValueOrDefault("--tls-cert"),
            TlsKey = values.GetValueOrDefault("--tls-key"),
            Auth = auth,
            Htpasswd = values.GetValueOrDefault("--htpasswd"),
            Realm = values.GetValueOrDefault("--realm") ?? "berth-registry",
            TokenKey = values.GetValueOrDefault("--token-key"),
            TokenLifetime = Duration(values, "--token-ttl", TimeSpan.FromMinutes(15)),
            AnonymousPull = values.ContainsKey("--anonymous-pull"),
            UploadTtl = Duration(values, "--upload-ttl", TimeSpan.FromHours(24)),
            GcInterval = Duration(values, "--gc-interval", TimeSpan.Zero),
            GcGrace = Duration(values, "--gc-grace", TimeSpan.FromHours(1)),
        };
    }

    public static (string Root, TimeSpan Grace, TimeSpan? UploadTtl) ParseGc(string[] args)
    {
        var values = Parse(args, ["--root", "--grace", "--upload-ttl"], []);
        var root = values.GetValueOrDefault("--root") ?? throw BerthException.InvalidArgument("gc: --root DIR is required");
        TimeSpan? ttl = values.ContainsKey("--upload-ttl") ? Duration(values, "--upload-ttl", TimeSpan.Zero) : null;
        return (Path.GetFullPath(root), Duration(values, "--grace", TimeSpan.FromHours(1)), ttl);
    }

    private static Dictionary<string, string> Parse(string[] args, string[] valued, string[] switches)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string? inline = null;
            var eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
                (arg, inline) = (arg[..eq], arg[(eq + 1)..]);
            if (switches.Contains(arg))
                values[arg] = "true";
            else if (valued.Contains(arg))
                values[arg] = inline ?? (i + 1 < args.Length ? args[++i] : throw BerthException.InvalidArgument($"flag `{arg}` needs a value"));
            else
                throw BerthException.InvalidArgument($"unknown flag `{arg}`");
        }
        return values;
    }

    public static IPEndPoint ParseAddress(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
            throw BerthException.InvalidArgument($"address `{text}`: expected HOST:PORT");
        var host = text[..colon].Trim('[', ']');
        var address = host.Length == 0 || host == "0.0.0.0" ? IPAddress.Any
            : host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var parsed) ? parsed
            : throw BerthException.InvalidArgument($"address `{text}`: `{host}` is not an IP address");
        return new IPEndPoint(address, port);
    }

    public static TimeSpan Duration(Dictionary<string, string> values, string flag, TimeSpan fallback) =>
        values.TryGetValue(flag, out var text) ? ParseDuration(text) ?? throw BerthException.InvalidArgument($"flag `{flag}`: `{text}` is not a duration") : fallback;

    /// <summary>500ms, 30s, 10m, 2h, 7d, or 0; null for anything else.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        if (text == "0")
            return TimeSpan.Zero;
        var unitStart = text.Length;
        while (unitStart > 0 && char.IsLetter(text[unitStart - 1]))
            unitStart--;
        if (unitStart == 0 || !double.TryParse(text.AsSpan(0, unitStart), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            return null;
        return text[unitStart..] switch
        {
            "ms" => TimeSpan.FromMilliseconds(number),
            "s" => TimeSpan.FromSeconds(number),
            "m" => TimeSpan.FromMinutes(number),
            "h" => TimeSpan.FromHours(number),
            "d" => TimeSpan.FromDays(number),
            _ => null,
        };
    }
}
