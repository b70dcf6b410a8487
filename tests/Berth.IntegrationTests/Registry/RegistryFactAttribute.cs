using Berth.IntegrationTests.Cli;
using Berth.IntegrationTests.Interop;

namespace Berth.IntegrationTests.Registry;

/// <summary>A fact against a real docker-registry: skipped, saying why, without it, htpasswd, skopeo or berth's binaries.</summary>
public sealed class RegistryFactAttribute : FactAttribute
{
    public RegistryFactAttribute()
    {
        var missing = new[] { "docker-registry", "htpasswd", "skopeo" }.Where(p => Peer.Find(p) is null).ToList();
        if (missing.Count > 0)
            Skip = $"not installed: {string.Join(", ", missing)} (apt-get install -y docker-registry apache2-utils skopeo)";
        else if (BerthCli.SkipReason() is { } reason)
            Skip = reason;
    }
}
