using Berth.Errdefs;

namespace Berth.Build.Secrets;

/// <summary>
/// <c>--secret</c> values → <see cref="BuildSecret"/>, in buildx's grammar: CSV fields
/// <c>id=</c>, <c>src=</c>/<c>source=</c>, <c>env=</c>, <c>type=file|env</c>. With
/// <c>type=env</c> and no <c>env=</c>, <c>src</c> names the variable. Where buildx would leave the
/// choice between file and variable to read time, this decides it here: a value with neither
/// <c>src</c> nor <c>env</c> reads the variable named by the id when the environment has it, else
/// the file of that name (buildkit's secretsprovider rule). An id left out is the variable's name,
/// or the file's base name. Errors are InvalidArgument prefixed <c>parse secret `VALUE`: </c>.
/// </summary>
public static class BuildSecretParser
{
    /// <param name="value">One <c>--secret</c> value.</param>
    /// <param name="environment">Looks a variable up (null when unset); <see cref="Environment.GetEnvironmentVariable(string)"/> when null.</param>
    public static BuildSecret Parse(string value, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        environment ??= Environment.GetEnvironmentVariable;
        var fields = CsvFields.Read(value, out var csvError) ?? throw Error(value, "failed to parse csv secret: " + csvError);
        string? type = null, id = null, src = null, env = null;
        foreach (var field in fields)
        {
            var eq = field.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                throw Error(value, $"invalid field '{field}' must be a key=value pair");
            }
            var key = field[..eq].ToLowerInvariant();
            var v = field[(eq + 1)..];
            switch (key)
            {
                case "type":
                    if (v != "file" && v != "env")
                    {
                        throw Error(value, $"unsupported secret type \"{v}\"");
                    }
                    type = v;
                    break;
                case "id":
                    id = v;
                    break;
                case "source" or "src":
                    src = v;
                    break;
                case "env":
                    env = v;
                    break;
                default:
                    throw Error(value, $"unexpected key '{key}' in '{field}'");
            }
        }
        if (type == "env" && string.IsNullOrEmpty(env))
        {
            env = src;
            src = null;
        }
        if (!string.IsNullOrEmpty(src) && !string.IsNullOrEmpty(env))
        {
            throw Error(value, "a secret comes from a file (src) or a variable (env), not both");
        }
        src = NullIfEmpty(src);
        env = NullIfEmpty(env);
        id = NullIfEmpty(id) ?? env ?? (src is null ? null : BaseName(src)) ?? throw Error(value, "secret missing ID");
        if (src is null && env is null)
        {
            if (environment(id) is not null)
            {
                env = id;
            }
            else
            {
                src = id;
            }
        }
        return new BuildSecret(id, src, env);
    }

    /// <summary>Several <c>--secret</c> values; a later one with the same id replaces the earlier (buildkit keeps the last).</summary>
    public static IReadOnlyList<BuildSecret> Parse(IEnumerable<string> values, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        var byId = new Dictionary<string, BuildSecret>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var value in values)
        {
            var secret = Parse(value, environment);
            if (!byId.ContainsKey(secret.Id))
            {
                order.Add(secret.Id);
            }
            byId[secret.Id] = secret;
        }
        return order.Select(id => byId[id]).ToList();
    }

    private static BerthException Error(string value, string cause) => BerthException.InvalidArgument($"parse secret `{value}`: {cause}");

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static string? BaseName(string path)
    {
        var trimmed = path.TrimEnd('/');
        var name = trimmed[(trimmed.LastIndexOf('/') + 1)..];
        return name.Length == 0 ? null : name;
    }
}
