namespace Berth.Engine.Model;

/// <summary>One host address a container port is published on (<c>-p HOSTIP:HOSTPORT:PORT</c>).</summary>
public sealed record PortBinding
{
    public string HostIp { get; init; } = "";
    public string HostPort { get; init; } = "";
}
