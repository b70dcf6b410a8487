using Berth.IntegrationTests.Cli;
using Berth.IntegrationTests.Interop;

namespace Berth.IntegrationTests.Build;

/// <summary>
/// A parity theory: skipped, saying why, when not root or a peer (dockerd, the docker client,
/// buildah, unshare, busybox) is missing; with <see cref="NeedsBerth"/>, also when berth is not
/// built or has no <c>build</c> verb yet.
/// </summary>
public sealed class ParityTheoryAttribute : TheoryAttribute
{
    private static readonly Lazy<string?> BerthReason = new(ProbeBerth);

    public ParityTheoryAttribute(bool needsBerth = false)
    {
        NeedsBerth = needsBerth;
        Skip = PeersSkipReason() ?? (needsBerth ? BerthSkipReason() : null);
    }

    public bool NeedsBerth { get; }

    public static string? PeersSkipReason()
    {
        if (Environment.UserName != "root")
            return "needs root";
        string[] peers = ["docker", "dockerd", "buildah", "unshare", "busybox"];
        var missing = peers.Where(p => Peer.Find(p) is null).ToList();
        return missing.Count > 0 ? $"not installed: {string.Join(", ", missing)} (apt-get install -y docker.io buildah busybox-static)" : null;
    }

    public static string? BerthSkipReason() => BerthReason.Value;

    private static string? ProbeBerth()
    {
        if (BerthCli.SkipReason() is { } reason)
            return reason;
        var help = BerthCli.Run(["build", "--help"], timeout: TimeSpan.FromSeconds(20));
        return help.ExitCode == 0 ? null : $"{BerthCli.Berth} has no working `build` verb yet: {help.Stderr.Trim()}";
    }
}
