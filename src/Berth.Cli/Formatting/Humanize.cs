using System.Globalization;
using System.Text;
using Berth.Errdefs;

namespace Berth.Cli.Formatting;

/// <summary>
/// The human-readable strings docker prints, matching docker/go-units and docker's formatters
/// exactly: sizes, durations, the <c>docker ps</c> STATUS, COMMAND and ID columns.
/// Bad input: an unknown container state passed to <see cref="StatusText"/> is InvalidArgument;
/// negative sizes and durations are formatted as go-units does (no error).
/// </summary>
public static class Humanize
{
    private static readonly string[] DecimalUnits = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    private static readonly string[] BinaryUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];

    /// <summary>docker's SIZE column: decimal units, 3 significant digits (<c>1.23MB</c>, <c>4.1kB</c>, <c>0B</c>).</summary>
    public static string HumanSize(long bytes) => HumanSizeWithPrecision(bytes, 3);

    /// <summary>go-units' HumanSizeWithPrecision: <c>%.{precision}g</c> of the size in decimal units.</summary>
    public static string HumanSizeWithPrecision(double size, int precision)
    {
        var (value, unit) = Scale(size, 1000.0, DecimalUnits);
        return GoFloat.FormatG(value, precision) + unit;
    }

    /// <summary>go-units' BytesSize, used by <c>docker stats</c>: binary units, 4 significant digits (<c>1.5MiB</c>).</summary>
    public static string BytesSize(double size)
    {
        var (value, unit) = Scale(size, 1024.0, BinaryUnits);
        return GoFloat.FormatG(value, 4) + unit;
    }

    private static (double Value, string Unit) Scale(double size, double factor, string[] units)
    {
        var i = 0;
        while (size >= factor && i < units.Length - 1)
        {
            size /= factor;
            i++;
        }
        return (size, units[i]);
    }

    /// <summary>go-units' HumanDuration: "Less than a second", "About a minute", "3 weeks", …</summary>
    public static string HumanDuration(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < 1)
        {
            return "Less than a second";
        }
        if (seconds == 1)
        {
            return "1 second";
        }
        if (seconds < 60)
        {
            return $"{seconds} seconds";
        }
        var minutes = (long)d.TotalMinutes;
        if (minutes == 1)
        {
            return "About a minute";
        }
        if (minutes < 60)
        {
            return $"{minutes} minutes";
        }
        var hours = (long)Math.Round(d.TotalHours, MidpointRounding.AwayFromZero);
        if (hours == 1)
        {
            return "About an hour";
        }
        if (hours < 48)
        {
            return $"{hours} hours";
        }
        if (hours < 24 * 7 * 2)
        {
            return $"{hours / 24} days";
        }
        if (hours < 24 * 30 * 2)
        {
            return $"{hours / 24 / 7} weeks";
        }
        if (hours < 24 * 365 * 2)
        {
            return $"{hours / 24 / 30} months";
        }
        return $"{(long)d.TotalHours / 24 / 365} years";
    }

    /// <summary>docker's CREATED column: <c>HumanDuration(now - created) + " ago"</c>.</summary>
    public static string CreatedAgo(DateTimeOffset created, DateTimeOffset now) => HumanDuration(now - created) + " ago";

    /// <summary>
    /// docker's STATUS column (the daemon's State.String()). <paramref name="state"/> is docker's
    /// state name: created, running, paused, restarting, removing, exited, dead. A null
    /// <paramref name="startedAt"/> means never started; <paramref name="health"/> is
    /// "healthy", "unhealthy" or "starting" when the container has a health check.
    /// </summary>
    public static string StatusText(string state, DateTimeOffset? startedAt, DateTimeOffset? finishedAt, int exitCode,
        DateTimeOffset now, bool restarting = false, bool paused = false, string? health = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state is not ("created" or "running" or "paused" or "restarting" or "removing" or "exited" or "dead"))
        {
            throw BerthException.InvalidArgument($"format status: unknown container state `{state}`");
        }
        // The flags are docker's State.Paused / State.Restarting; they only count while running.
        if (state is "running" or "paused" or "restarting")
        {
            var up = HumanDuration(now - (startedAt ?? now));
            if (paused || state == "paused")
            {
                return $"Up {up} (Paused)";
            }
            if (restarting || state == "restarting")
            {
                return $"Restarting ({exitCode}) {HumanDuration(now - (finishedAt ?? now))} ago";
            }
            if (health is { Length: > 0 })
            {
                return $"Up {up} ({(health == "starting" ? "health: starting" : health)})";
            }
            return $"Up {up}";
        }
        if (state == "removing")
        {
            return "Removal In Progress";
        }
        if (state == "dead")
        {
            return "Dead";
        }
        if (startedAt is null)
        {
            return "Created";
        }
        if (finishedAt is null)
        {
            return "";
        }
        return $"Exited ({exitCode}) {HumanDuration(now - finishedAt.Value)} ago";
    }

    /// <summary>
    /// docker's COMMAND column: the path and arguments (an argument with a space in single
    /// quotes, as the daemon joins them), cut to 20 columns with "…" unless <paramref name="noTrunc"/>,
    /// then Go-quoted: <c>"docker-entrypoint.s…"</c>.
    /// </summary>
    public static string CommandText(string path, IEnumerable<string> args, bool noTrunc = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(args);
        var parts = args.Select(a => a.Contains(' ') ? $"'{a}'" : a).ToList();
        var command = parts.Count == 0 ? path : path + " " + string.Join(' ', parts);
        return GoValue.Quote(noTrunc ? command : Ellipsis(command, 20));
    }

    /// <summary>docker's formatter.Ellipsis: cut to <paramref name="maxWidth"/> display columns, the last one "…".</summary>
    public static string Ellipsis(string s, int maxWidth)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (maxWidth <= 0 || s.Length == 0)
        {
            return "";
        }
        var runes = s.EnumerateRunes().ToList();
        if (maxWidth == 1)
        {
            return runes[0].ToString();
        }
        var total = runes.Sum(DisplayWidth);
        if (total <= maxWidth)
        {
            return s;
        }
        var sb = new StringBuilder();
        var width = 0;
        foreach (var r in runes)
        {
            if (width + DisplayWidth(r) > maxWidth - 1)
            {
                break;
            }
            width += DisplayWidth(r);
            sb.Append(r.ToString());
        }
        return sb.Append('…').ToString();
    }

    /// <summary>docker's stringid.TruncateID: drop everything up to a ':' ("sha256:"), keep 12 characters.</summary>
    public static string TruncateId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            id = id[(colon + 1)..];
        }
        return id.Length > 12 ? id[..12] : id;
    }

    // East Asian wide and fullwidth ranges take two columns, as go-runewidth counts them;
    // combining marks and controls take none.
    private static int DisplayWidth(Rune r)
    {
        var v = r.Value;
        var category = Rune.GetUnicodeCategory(r);
        if (v < 0x20 || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
        {
            return 0;
        }
        return v is (>= 0x1100 and <= 0x115F) or (>= 0x2E80 and <= 0x303E) or (>= 0x3041 and <= 0x33FF) or
            (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF) or (>= 0xA000 and <= 0xA4CF) or
            (>= 0xAC00 and <= 0xD7A3) or (>= 0xF900 and <= 0xFAFF) or (>= 0xFE30 and <= 0xFE4F) or
            (>= 0xFF00 and <= 0xFF60) or (>= 0xFFE0 and <= 0xFFE6) or (>= 0x1F300 and <= 0x1F64F) or
            (>= 0x1F900 and <= 0x1F9FF) or (>= 0x20000 and <= 0x3FFFD) ? 2 : 1;
    }
}
