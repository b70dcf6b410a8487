using Berth.Errdefs;

namespace Berth.Oci.Runtime;

/// <summary>
/// Which runtime-spec versions Berth accepts. Versions are compared as numbers, not by prefix
/// (crun 1.8 rejects 1.3.0 by a prefix check): every 1.x.y from 1.0.0 up to the newest minor
/// Berth implements is accepted, with or without a pre-release suffix such as <c>-dev</c>.
/// </summary>
public static class SpecVersion
{
    /// <summary>The version Berth writes.</summary>
    public const string Current = "1.2.0";

    private const int Major = 1;
    private const int NewestMinor = 2;

    public static bool IsSupported(string version) =>
        TryParse(version, out var major, out var minor, out _) && major == Major && minor <= NewestMinor;

    /// <summary>Throws InvalidArgument naming the version when it is not supported.</summary>
    public static void Check(string version)
    {
        if (string.IsNullOrEmpty(version))
            throw BerthException.InvalidArgument("ociVersion is missing");
        if (!TryParse(version, out _, out _, out _))
            throw BerthException.InvalidArgument($"ociVersion `{version}` is not a semantic version");
        if (!IsSupported(version))
            throw BerthException.InvalidArgument(
                $"ociVersion `{version}` is not supported (supported: {Major}.0.0 to {Major}.{NewestMinor}.x)");
    }

    public static bool TryParse(string version, out int major, out int minor, out int patch)
    {
        major = minor = patch = 0;
        var core = version;
        var cut = core.IndexOfAny(['-', '+']);
        if (cut >= 0)
            core = core[..cut];
        var parts = core.Split('.');
        return parts.Length == 3
            && int.TryParse(parts[0], System.Globalization.NumberStyles.None, null, out major)
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, null, out minor)
            && int.TryParse(parts[2], System.Globalization.NumberStyles.None, null, out patch);
    }
}
