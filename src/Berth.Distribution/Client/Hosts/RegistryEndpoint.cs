namespace Berth.Distribution.Client.Hosts;

/// <summary>
/// One place a registry's content can be fetched from: the registry itself or one of its mirrors.
/// <see cref="Host"/> is <c>host[:port]</c>; <see cref="Insecure"/> allows plain http (after https
/// fails) and an unverified certificate, as docker's insecure registries; <see cref="Scheme"/> is
/// given when the configuration named one (a mirror URL), else https is tried first.
/// </summary>
public sealed record RegistryEndpoint(string Host, bool Insecure, bool Mirror, string? Scheme = null, string? CaFile = null)
{
    public override string ToString() => (Scheme ?? "https") + "://" + Host;
}
