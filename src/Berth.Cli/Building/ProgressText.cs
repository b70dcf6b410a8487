using System.Globalization;
using Berth.Engine.Builds;

namespace Berth.Cli.Building;

/// <summary>The words and numbers both displays print, in BuildKit's formats.</summary>
internal static class ProgressText
{
    /// <summary>
    /// A step's name: its label (<c>[2/3] RUN …</c>), or the bare text for a step outside the
    /// Dockerfile's stages (Count 0), such as <c>[internal] load build context</c> or
    /// <c>exporting to image</c>.
    /// </summary>
    public static string Name(BuildStep step) => step.Count == 0 ? step.Text : step.Label;

    /// <summary>Go's <c>%.1f</c> of the seconds, as in <c>DONE 0.3s</c> and the tty's timers.</summary>
    public static string Seconds(TimeSpan t) => Math.Max(0, t.TotalSeconds).ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>A log line's offset from the step's start: 3 decimals under 10s, 2 under 100s, else 1 (BuildKit's).</summary>
    public static string Offset(TimeSpan t)
    {
        var s = Math.Max(0, t.TotalSeconds);
        var format = s < 10 ? "0.000" : s < 100 ? "0.00" : "0.0";
        return s.ToString(format, CultureInfo.InvariantCulture);
    }
}
