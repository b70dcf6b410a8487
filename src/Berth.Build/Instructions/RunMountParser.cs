using System.Globalization;
using Berth.Build.Parser;
using Berth.Build.Secrets;
using Berth.Errdefs;

namespace Berth.Build.Instructions;

/// <summary>
/// <c>RUN --mount=</c> values → <see cref="RunMount"/>, following buildkit's grammar: CSV fields,
/// each <c>key=value</c> or one of the bare flags <c>ro</c>/<c>readonly</c>/<c>rw</c>/<c>readwrite</c>/<c>required</c>;
/// keys are case-insensitive and read in order (so <c>required</c> before <c>type=secret</c> is
/// rejected, as buildkit does). Values arrive already expanded. Errors are InvalidArgument with
/// buildkit's words, prefixed <c>parse mount `VALUE`: </c>.
/// </summary>
public static class RunMountParser
{
    private const uint CacheMode = 0b111_101_101; // 0755
    private const uint SecretMode = 0b100_000_000; // 0400
    private const uint SshMode = 0b110_000_000; // 0600

    private static readonly string[] Types = ["bind", "cache", "tmpfs", "secret", "ssh"];
    private static readonly string[] Sharings = ["shared", "private", "locked"];
    private static readonly string[] Keys =
        ["type", "from", "source", "target", "readonly", "id", "sharing", "required", "mode", "uid", "gid", "src", "dst", "ro", "rw", "readwrite", "size", "env", "destination"];

    /// <summary>All of a RUN's mounts; errors carry the instruction's <c>dockerfile:LINE:COLUMN: </c>.</summary>
    public static IReadOnlyList<RunMount> Parse(RunInstruction run)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            return Parse(run.Mounts);
        }
        catch (BerthException e)
        {
            throw DockerfileError.At(run.Position, e.Message);
        }
    }

    /// <summary>Several mounts of one instruction: ssh targets are numbered in order.</summary>
    public static IReadOnlyList<RunMount> Parse(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var mounts = new List<RunMount>(values.Count);
        var ssh = 0;
        foreach (var value in values)
        {
            var mount = Parse(value, ssh);
            if (mount.Type == RunMountType.Ssh)
            {
                ssh++;
            }
            mounts.Add(mount);
        }
        return mounts;
    }

    /// <summary>One mount. An ssh mount without a target gets <c>/run/buildkit/ssh_agent.0</c>.</summary>
    public static RunMount Parse(string value) => Parse(value, 0);

    private static RunMount Parse(string value, int sshIndex)
    {
        ArgumentNullException.ThrowIfNull(value);
        try
        {
            return ParseFields(value, sshIndex);
        }
        catch (FormatException e)
        {
            throw BerthException.InvalidArgument($"parse mount `{value}`: {e.Message}");
        }
    }

    internal static string TypeName(RunMountType type) => Types[(int)type];

    // FormatException carries buildkit's message out of the field loop; Parse adds the value.
    private static RunMount ParseFields(string value, int sshIndex)
    {
        var fields = CsvFields.Read(value, out var csvError) ?? throw new FormatException("failed to parse csv mounts: " + csvError);
        var type = RunMountType.Bind;
        string? target = null, source = null, from = null, id = null, env = null;
        bool readOnly = false, roAuto = true, required = false;
        RunMountSharing? sharing = null;
        uint? mode = null, uid = null, gid = null;
        long? size = null;

        foreach (var field in fields)
        {
            var eq = field.IndexOf('=', StringComparison.Ordinal);
            var key = (eq < 0 ? field : field[..eq]).ToLowerInvariant();
            if (eq < 0)
            {
                switch (key)
                {
                    case "readonly" or "ro":
                        readOnly = true;
                        roAuto = false;
                        continue;
                    case "readwrite" or "rw":
                        readOnly = false;
                        roAuto = false;
                        continue;
                    case "required":
                        SecretOrSsh(type, key);
                        required = true;
                        continue;
                    default:
                        throw new FormatException($"invalid field '{field}' must be a key=value pair");
                }
            }
            var v = field[(eq + 1)..];
            switch (key)
            {
                case "type":
                    var t = Array.IndexOf(Types, v.ToLowerInvariant());
                    if (t < 0)
                    {
                        throw new FormatException(Suggest($"unsupported mount type \"{v}\"", v, Types));
                    }
                    type = (RunMountType)t;
                    break;
                case "from":
                    from = v;
                    break;
                case "source" or "src":
                    source = v;
                    break;
                case "target" or "dst" or "destination":
                    target = v;
                    break;
                case "readonly" or "ro":
                    readOnly = GoBool(key, v);
                    roAuto = false;
                    break;
                case "readwrite" or "rw":
                    readOnly = !GoBool(key, v);
                    roAuto = false;
                    break;
                case "required":
                    SecretOrSsh(type, key);
                    required = GoBool(key, v);
                    break;
                case "size":
                    if (type != RunMountType.Tmpfs)
                    {
                        throw new FormatException($"unexpected key '{key}' for mount type '{TypeName(type)}'");
                    }
                    size = RamInBytes(v) ?? throw new FormatException($"invalid value for {key}: {v}");
                    break;
                case "env":
                    if (type != RunMountType.Secret)
                    {
                        throw new FormatException($"unexpected key '{key}' for mount type '{TypeName(type)}'");
                    }
                    env = v;
                    break;
                case "id":
                    id = v;
                    break;
                case "sharing":
                    var s = Array.IndexOf(Sharings, v.ToLowerInvariant());
                    if (s < 0)
                    {
                        throw new FormatException(Suggest($"unsupported sharing value \"{v}\"", v, Sharings));
                    }
                    sharing = (RunMountSharing)s;
                    break;
                case "mode":
                    mode = Unsigned(v, 8) ?? throw new FormatException($"invalid value {v} for mode");
                    break;
                case "uid":
                    uid = Unsigned(v, 10) ?? throw new FormatException($"invalid value {v} for uid");
                    break;
                case "gid":
                    gid = Unsigned(v, 10) ?? throw new FormatException($"invalid value {v} for gid");
                    break;
                default:
                    throw new FormatException(Suggest($"unexpected key '{key}' in '{field}'", key, Keys));
            }
        }

        var fileInfo = type is RunMountType.Secret or RunMountType.Ssh or RunMountType.Cache;
        var name = TypeName(type);
        if (!fileInfo)
        {
            if (mode is not null)
            {
                throw new FormatException($"mode not allowed for \"{name}\" type mounts");
            }
            if (uid is not null)
            {
                throw new FormatException($"uid not allowed for \"{name}\" type mounts");
            }
            if (gid is not null)
            {
                throw new FormatException($"gid not allowed for \"{name}\" type mounts");
            }
        }
        if (roAuto)
        {
            readOnly = type is not (RunMountType.Cache or RunMountType.Tmpfs);
        }
        if (sharing is not null && type != RunMountType.Cache)
        {
            throw new FormatException($"invalid cache sharing set for {name} mount");
        }

        switch (type)
        {
            case RunMountType.Secret:
                if (from is not null)
                {
                    throw new FormatException("secret mount should not have a from");
                }
                if (string.IsNullOrEmpty(source) && string.IsNullOrEmpty(target) && string.IsNullOrEmpty(id))
                {
                    throw new FormatException("invalid secret mount. one of source, target required");
                }
                if (!string.IsNullOrEmpty(source) && !string.IsNullOrEmpty(id))
                {
                    throw new FormatException("both source and id can't be set");
                }
                id = !string.IsNullOrEmpty(id) ? id : !string.IsNullOrEmpty(source) ? source : BaseName(target!);
                if (string.IsNullOrEmpty(target) && env is null)
                {
                    target = "/run/secrets/" + BaseName(id);
                }
                return new RunMount(type, NullIfEmpty(target), null, null, readOnly, id, RunMountSharing.Shared, mode ?? SecretMode, uid ?? 0, gid ?? 0, null, required, env);
            case RunMountType.Ssh:
                target = NullIfEmpty(target) ?? "/run/buildkit/ssh_agent." + sshIndex.ToString(CultureInfo.InvariantCulture);
                return new RunMount(type, target, NullIfEmpty(source), NullIfEmpty(from), readOnly, string.IsNullOrEmpty(id) ? "default" : id, RunMountSharing.Shared, mode ?? SshMode, uid ?? 0, gid ?? 0, null, required, null);
            default:
                // buildkit would mount an empty target at the WORKDIR; docker's --mount asks for one, and so do we.
                if (string.IsNullOrEmpty(target))
                {
                    throw new FormatException("target is required");
                }
                if (type == RunMountType.Cache)
                {
                    return new RunMount(type, target, NullIfEmpty(source), NullIfEmpty(from), readOnly, string.IsNullOrEmpty(id) ? target : id, sharing ?? RunMountSharing.Shared, mode ?? CacheMode, uid ?? 0, gid ?? 0, null, false, null);
                }
                return new RunMount(type, target, NullIfEmpty(source), type == RunMountType.Tmpfs ? null : NullIfEmpty(from), readOnly, null, RunMountSharing.Shared, null, null, null, size, false, null);
        }
    }

    private static void SecretOrSsh(RunMountType type, string key)
    {
        if (type is not (RunMountType.Secret or RunMountType.Ssh))
        {
            throw new FormatException($"unexpected key '{key}' for mount type '{TypeName(type)}'");
        }
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static string BaseName(string path)
    {
        var trimmed = path.TrimEnd('/');
        return trimmed.Length == 0 ? "/" : trimmed[(trimmed.LastIndexOf('/') + 1)..];
    }

    // Go's strconv.ParseBool.
    private static bool GoBool(string key, string value) => value switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => throw new FormatException($"invalid value for {key}: {value}"),
    };

    // Go's strconv.ParseUint(value, base, 32): digits only, no sign or prefix.
    private static uint? Unsigned(string value, int radix)
    {
        if (value.Length == 0)
        {
            return null;
        }
        ulong n = 0;
        foreach (var c in value)
        {
            var d = c - '0';
            if (d < 0 || d >= radix)
            {
                return null;
            }
            n = n * (ulong)radix + (ulong)d;
            if (n > uint.MaxValue)
            {
                return null;
            }
        }
        return (uint)n;
    }

    /// <summary>docker's units.RAMInBytes: a decimal number, an optional space, an optional k/m/g/t/p (powers of 1024), optional i, optional b.</summary>
    internal static long? RamInBytes(string value)
    {
        var i = 0;
        while (i < value.Length && (char.IsAsciiDigit(value[i]) || (value[i] == '.' && i > 0 && i + 1 < value.Length && char.IsAsciiDigit(value[i + 1]))))
        {
            i++;
        }
        if (i == 0 || !double.TryParse(value.AsSpan(0, i), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }
        var rest = value[i..];
        if (rest.StartsWith(' '))
        {
            rest = rest[1..];
        }
        double multiplier = 1;
        if (rest.Length > 0 && "kmgtp".IndexOf(char.ToLowerInvariant(rest[0])) is var power and >= 0)
        {
            multiplier = Math.Pow(1024, power + 1);
            rest = rest[1..];
        }
        if (rest.Length > 0 && rest[0] is 'i' or 'I')
        {
            rest = rest[1..];
        }
        if (rest.Length > 0 && rest[0] is 'b' or 'B')
        {
            rest = rest[1..];
        }
        return rest.Length == 0 ? (long)(number * multiplier) : null;
    }

    // buildkit's suggest.WrapError: name the first closest allowed word within an edit distance of 2.
    private static string Suggest(string message, string value, string[] options)
    {
        string? best = null;
        var bestDistance = 3;
        foreach (var option in options)
        {
            var d = Distance(value, option);
            if (d < bestDistance)
            {
                best = option;
                bestDistance = d;
            }
        }
        return best is null ? message : $"{message} (did you mean {best}?)";
    }

    private static int Distance(string a, string b)
    {
        var row = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            row[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
