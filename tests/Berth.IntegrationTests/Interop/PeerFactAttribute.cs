namespace Berth.IntegrationTests.Interop;

/// <summary>
/// A fact that needs real peer binaries: skipped, with the apt-get line that installs them, when
/// one is absent (and only then), or when not root (podman's and dockerd's storage need it).
/// </summary>
public sealed class PeerFactAttribute : FactAttribute
{
    public PeerFactAttribute(params string[] peers)
    {
        var missing = peers.Where(p => Peer.Find(p) is null).ToList();
        if (missing.Count > 0)
            Skip = $"not installed: {string.Join(", ", missing)} (apt-get install -y {string.Join(' ', missing.Select(Package).Distinct())})";
        else if (Environment.UserName != "root")
            Skip = "needs root";
    }

    private static string Package(string binary) => binary switch
    {
        "docker" or "dockerd" => "docker.io",
        "busybox" => "busybox-static",
        _ => binary,
    };
}
