using System.Globalization;
using System.Text.Json;
using Berth.Engine.Images;
using Berth.Engine.Model;

namespace Berth.Engine.Containers;

/// <summary>
/// docker's container inspect object (<c>GET /containers/{id}/json</c>, <c>docker inspect</c>):
/// the record, its run state and where it lives, in docker's field order and shapes, so the CLI
/// and a future daemon serve the same bytes. Times are RFC 3339 with nanoseconds; an unset time is
/// Go's zero time, <c>0001-01-01T00:00:00Z</c>. Only the <c>none</c> and <c>host</c> networks
/// exist yet, so NetworkSettings has no endpoints.
/// </summary>
public static class ContainerInspector
{
    public const string ZeroTime = "0001-01-01T00:00:00Z";

    /// <summary>Writes one container object. <paramref name="layers"/> non-null adds SizeRw and SizeRootFs (<c>--size</c>).</summary>
    public static void Write(Utf8JsonWriter w, ContainerView view, LayerStore? layers = null)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(view);
        var r = view.Record;
        var s = view.State;
        var dir = view.Dir;
        w.WriteStartObject();
        w.WriteString("Id", r.Id);
        w.WriteString("Created", Time(r.Created));
        w.WriteString("Path", r.Path);
        JsonStrings(w, "Args", r.Args);
        w.WriteStartObject("State");
        w.WriteString("Status", s.Status);
        w.WriteBoolean("Running", s.Running);
        w.WriteBoolean("Paused", s.Paused);
        w.WriteBoolean("Restarting", s.Restarting);
        w.WriteBoolean("OOMKilled", s.OOMKilled);
        w.WriteBoolean("Dead", s.Dead);
        w.WriteNumber("Pid", s.Pid);
        w.WriteNumber("ExitCode", s.ExitCode);
        w.WriteString("Error", s.Error);
        w.WriteString("StartedAt", s.StartedAt is { } started ? Time(started) : ZeroTime);
        w.WriteString("FinishedAt", s.FinishedAt is { } finished ? Time(finished) : ZeroTime);
        w.WriteEndObject();
        w.WriteString("Image", r.Image);
        w.WriteString("ResolvConfPath", Path.Combine(dir, "resolv.conf"));
        w.WriteString("HostnamePath", Path.Combine(dir, "hostname"));
        w.WriteString("HostsPath", Path.Combine(dir, "hosts"));
        w.WriteString("LogPath", ContainerService.LogPath(dir, r.Id));
        w.WriteString("Name", "/" + r.Name);
        w.WriteNumber("RestartCount", s.RestartCount);
        w.WriteString("Driver", "overlay2");
        w.WriteString("Platform", "linux");
        w.WriteString("MountLabel", "");
        w.WriteString("ProcessLabel", "");
        w.WriteString("AppArmorProfile", "");
        w.WriteNull("ExecIDs");
        w.WritePropertyName("HostConfig");
        JsonSerializer.Serialize(w, r.HostConfig, ModelJsonContext.Default.HostConfig);
        WriteGraphDriver(w, r, dir);
        if (layers is not null)
        {
            var rw = LayerStore.DirectorySize(Snapshot.UpperPath(dir));
            w.WriteNumber("SizeRw", rw);
            w.WriteNumber("SizeRootFs", rw + r.LayerChain.Sum(l => Directory.Exists(l) ? LayerStore.DirectorySize(l) : 0));
        }
        WriteMounts(w, r.Mounts);
        w.WritePropertyName("Config");
        JsonSerializer.Serialize(w, r.Config, ModelJsonContext.Default.Config);
        WriteNetworkSettings(w, r, s);
        w.WriteEndObject();
    }

    /// <summary>Go's time.RFC3339Nano in UTC: fractional seconds without trailing zeros.</summary>
    public static string Time(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var ticks = utc.Ticks % TimeSpan.TicksPerSecond;
        if (ticks != 0)
            text += "." + (ticks * 100).ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        return text + "Z";
    }

    private static void WriteGraphDriver(Utf8JsonWriter w, ContainerRecord r, string dir)
    {
        w.WriteStartObject("GraphDriver");
        w.WriteStartObject("Data");
        if (r.LayerChain.Count > 0)
            w.WriteString("LowerDir", string.Join(':', r.LayerChain));
        w.WriteString("MergedDir", Snapshot.RootfsPath(dir));
        w.WriteString("UpperDir", Snapshot.UpperPath(dir));
        w.WriteString("WorkDir", Path.Combine(dir, "work"));
        w.WriteEndObject();
        w.WriteString("Name", "overlay2");
        w.WriteEndObject();
    }

    private static void WriteMounts(Utf8JsonWriter w, IReadOnlyList<MountPoint> mounts)
    {
        w.WriteStartArray("Mounts");
        foreach (var m in mounts)
        {
            w.WriteStartObject();
            w.WriteString("Type", m.Type);
            w.WriteString("Source", m.Source);
            w.WriteString("Destination", m.Destination);
            w.WriteString("Mode", m.Mode);
            w.WriteBoolean("RW", m.RW);
            w.WriteString("Propagation", m.Propagation);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteNetworkSettings(Utf8JsonWriter w, ContainerRecord r, ContainerState s)
    {
        w.WriteStartObject("NetworkSettings");
        w.WriteString("Bridge", "");
        w.WriteString("SandboxID", s.Running && r.HostConfig.NetworkMode != "host" ? r.Id : "");
        w.WriteBoolean("HairpinMode", false);
        w.WriteString("LinkLocalIPv6Address", "");
        w.WriteNumber("LinkLocalIPv6PrefixLen", 0);
        w.WriteStartObject("Ports");
        w.WriteEndObject();
        w.WriteString("SandboxKey", s.Running && s.Pid > 0 && r.HostConfig.NetworkMode != "host" ? $"/proc/{s.Pid}/ns/net" : "");
        w.WriteNull("SecondaryIPAddresses");
        w.WriteNull("SecondaryIPv6Addresses");
        w.WriteString("EndpointID", "");
        w.WriteString("Gateway", "");
        w.WriteString("GlobalIPv6Address", "");
        w.WriteNumber("GlobalIPv6PrefixLen", 0);
        w.WriteString("IPAddress", "");
        w.WriteNumber("IPPrefixLen", 0);
        w.WriteString("IPv6Gateway", "");
        w.WriteString("MacAddress", "");
        w.WriteStartObject("Networks");
        if (r.HostConfig.NetworkMode is "none" or "host")
        {
            w.WriteStartObject(r.HostConfig.NetworkMode);
            w.WriteNull("IPAMConfig");
            w.WriteNull("Links");
            w.WriteNull("Aliases");
            w.WriteString("MacAddress", "");
            w.WriteNull("DriverOpts");
            w.WriteString("NetworkID", "");
            w.WriteString("EndpointID", "");
            w.WriteString("Gateway", "");
            w.WriteString("IPAddress", "");
            w.WriteNumber("IPPrefixLen", 0);
            w.WriteString("IPv6Gateway", "");
            w.WriteString("GlobalIPv6Address", "");
            w.WriteNumber("GlobalIPv6PrefixLen", 0);
            w.WriteNull("DNSNames");
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void JsonStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
            w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
