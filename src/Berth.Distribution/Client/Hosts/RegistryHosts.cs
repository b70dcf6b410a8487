using System.Net;
using Berth.Errdefs;

namespace Berth.Distribution.Client.Hosts;

/// <summary>
/// Turns a reference's domain into the endpoints to try, in order (containerd's "hosts"):
/// each configured mirror, then the registry. docker.io is served by <c>registry-1.docker.io</c>
/// (or the configured default registry). Loopback hosts (<c>localhost</c>, <c>127.0.0.0/8</c>,
/// <c>::1</c>) and the configured insecure registries may use http, as docker's defaults.
/// Mirrors serve pulls only: a push always goes to the registry.
/// </summary>
public sealed class RegistryHosts(RegistriesConfig config)
{
    public const string DockerHub = "docker.io";
    public const string DockerHubHost = "registry-1.docker.io";

    public RegistriesConfig Config { get; } = config;

    /// <summary>The endpoints for a pull: mirrors first, then the registry.</summary>
    public IReadOnlyList<RegistryEndpoint> ForPull(string domain)
    {
        var endpoints = new List<RegistryEndpoint>();
        var mirrors = domain == DockerHub ? Config.RegistryMirrors : Config.Mirrors?.GetValueOrDefault(domain);
        foreach (var mirror in mirrors ?? [])
            endpoints.Add(FromUrl(mirror));
        endpoints.Add(ForPush(domain));
        return endpoints;
    }

    /// <summary>The registry itself.</summary>
    public RegistryEndpoint ForPush(string domain)
    {
        var host = domain == DockerHub ? (Config.DefaultRegistry is { Length: > 0 } d ? d : DockerHubHost) : domain;
        if (host.Contains("://", StringComparison.Ordinal))
            return FromUrl(host) with { Mirror = false };
        return new RegistryEndpoint(host, IsInsecure(host), Mirror: false, CaFile: CaFileOf(host));
    }

    private RegistryEndpoint FromUrl(string url)
    {
        if (!Uri.TryCreate(url.Contains("://", StringComparison.Ordinal) ? url : "https://" + url, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https"))
            throw BerthException.InvalidArgument($"registry mirror `{url}`: not an http or https URL");
        var host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        if (uri.HostNameType == UriHostNameType.IPv6)
            host = uri.IsDefaultPort ? $"[{uri.IdnHost}]" : $"[{uri.IdnHost}]:{uri.Port}";
        return new RegistryEndpoint(host, IsInsecure(host) || uri.Scheme == "http", Mirror: true, uri.Scheme, CaFileOf(host));
    }

    /// <summary>Loopback, or listed (by host[:port] or host) in insecure-registries.</summary>
    public bool IsInsecure(string host)
    {
        var bare = StripPort(host);
        if (bare == "localhost" || (IPAddress.TryParse(bare.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)))
            return true;
        return Config.InsecureRegistries?.Any(r => StripScheme(r) == host || StripScheme(r) == bare) == true;
    }

    /// <summary>HOST/ca.crt under the configured certs dir, /etc/berth/certs.d, or /etc/docker/certs.d; null when none.</summary>
    public string? CaFileOf(string host)
    {
        foreach (var dir in new[] { Config.CertsDir, "/etc/berth/certs.d", "/etc/docker/certs.d" })
        {
            if (dir is { Length: > 0 } && Path.Combine(dir, host, "ca.crt") is var path && File.Exists(path))
                return path;
        }
        return null;
    }

    private static string StripScheme(string s) =>
        s.Contains("://", StringComparison.Ordinal) ? s[(s.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/') : s.TrimEnd('/');

    private static string StripPort(string host)
    {
        if (host.StartsWith('['))
            return host[..(host.IndexOf(']') + 1)];
        var colon = host.LastIndexOf(':');
        return colon > 0 ? host[..colon] : host;
    }
}
