using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Errdefs;

namespace Berth.Engine.Spec;

/// <summary>
/// The text of a container's <c>/etc/hosts</c> and <c>/etc/resolv.conf</c>, as docker writes
/// them. resolv.conf: <c>--dns</c>, <c>--dns-search</c> (<c>.</c> means none) and
/// <c>--dns-option</c> replace the host's entries; in a private network namespace, loopback
/// (127.0.0.0/8, ::1) and IPv6 nameservers of the host are dropped (they are unreachable there),
/// and with none left Google's 8.8.8.8 and 8.8.4.4 are used. With <c>--network host</c> and no
/// overrides the host's file is used as it is. hosts: docker's localhost entries (or the host's
/// file with <c>--network host</c>) and the <c>--add-host</c> entries (<c>name:ip</c> or
/// <c>name=ip</c>); a bad address is InvalidArgument <c>invalid IP address in add-host: "x"</c>.
/// </summary>
public static class NetworkFiles
{
    public static readonly IReadOnlyList<string> DefaultNameservers = ["8.8.8.8", "8.8.4.4"];

    private const string DefaultHosts =
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n"
        + "ff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";

    public static string Hosts(bool hostNetwork, string? hostHosts, IReadOnlyList<string>? extraHosts, string? hostGatewayIp)
    {
        var text = new StringBuilder(hostNetwork ? hostHosts ?? DefaultHosts : DefaultHosts);
        if (text.Length > 0 && text[^1] != '\n')
            text.Append('\n');
        foreach (var entry in extraHosts ?? [])
        {
            // name:ip splits at the first colon (IPv6 addresses have more); name=ip at '='.
            var sep = entry.IndexOf('=');
            if (sep < 0)
                sep = entry.IndexOf(':');
            if (sep <= 0)
                throw BerthException.InvalidArgument($"bad format for add-host: \"{entry}\"");
            var (name, ip) = (entry[..sep], entry[(sep + 1)..]);
            if (ip == "host-gateway")
            {
                ip = hostGatewayIp ?? throw BerthException.InvalidArgument(
                    $"add-host `{entry}`: host-gateway needs the bridge network, which berth does not have yet");
            }
            var bare = ip.StartsWith('[') && ip.EndsWith(']') ? ip[1..^1] : ip;
            if (!IPAddress.TryParse(bare, out _))
                throw BerthException.InvalidArgument($"invalid IP address in add-host: \"{ip}\"");
            text.Append(bare).Append('\t').Append(name).Append('\n');
        }
        return text.ToString();
    }

    public static string ResolvConf(
        string? hostResolvConf, bool hostNetwork, IReadOnlyList<string>? dns, IReadOnlyList<string>? dnsSearch,
        IReadOnlyList<string>? dnsOptions)
    {
        var hostText = hostResolvConf ?? "";
        var overridden = dns is { Count: > 0 } || dnsSearch is { Count: > 0 } || dnsOptions is { Count: > 0 };
        if (hostNetwork && !overridden)
            return hostText;

        var (nameservers, search, options) = Parse(hostText);
        if (dns is { Count: > 0 })
        {
            foreach (var ns in dns)
            {
                if (!IPAddress.TryParse(ns, out _))
                    throw BerthException.InvalidArgument($"{ns} is not an ip address");
            }
            nameservers = [.. dns];
        }
        else if (!hostNetwork)
        {
            nameservers = nameservers.Where(Reachable).ToList();
            if (nameservers.Count == 0)
                nameservers = [.. DefaultNameservers];
        }
        if (dnsSearch is { Count: > 0 })
            search = dnsSearch.Where(s => s != ".").ToList();
        if (dnsOptions is { Count: > 0 })
            options = [.. dnsOptions];

        var text = new StringBuilder();
        foreach (var ns in nameservers)
            text.Append("nameserver ").Append(ns).Append('\n');
        if (search.Count > 0)
            text.Append("search ").AppendJoin(' ', search).Append('\n');
        if (options.Count > 0)
            text.Append("options ").AppendJoin(' ', options).Append('\n');
        return text.ToString();
    }

    /// <summary>A host nameserver a container in its own network namespace can reach.</summary>
    private static bool Reachable(string ns) =>
        IPAddress.TryParse(ns, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(ip);

    private static (List<string> Nameservers, List<string> Search, List<string> Options) Parse(string text)
    {
        var nameservers = new List<string>();
        List<string> search = [];
        List<string> options = [];
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
                continue;
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            switch (fields[0])
            {
                case "nameserver" when fields.Length > 1:
                    nameservers.Add(fields[1]);
                    break;
                case "search" or "domain":
                    // The last of search/domain wins, as in the resolver.
                    search = [.. fields.Skip(1)];
                    break;
                case "options":
                    options.AddRange(fields.Skip(1));
                    break;
            }
        }
        return (nameservers, search, options);
    }
}
