using Berth.Engine.Model;

namespace Berth.Engine.Containers;

/// <summary>What <c>berth create</c>/<c>run</c> (and later <c>POST /containers/create</c>) asks for: docker's Config and HostConfig, and an optional name.</summary>
public sealed record CreateRequest(string? Name, Config Config, HostConfig HostConfig);
