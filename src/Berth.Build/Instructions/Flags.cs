using Berth.Build.Parser;

namespace Berth.Build.Instructions;

/// <summary>
/// An instruction's <c>--name=value</c> flags, checked against the names it accepts, with
/// buildkit's messages. Bool flags take no value or true/false; list flags may repeat.
/// </summary>
internal sealed class Flags
{
    private readonly Dictionary<string, List<string>> values = new(StringComparer.Ordinal);

    public Flags(Node node, string[] strings, string[]? bools = null, string[]? lists = null)
    {
        bools ??= [];
        lists ??= [];
        foreach (var raw in node.Flags)
        {
            var word = raw[2..];
            var eq = word.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? word : word[..eq];
            string? value = eq < 0 ? null : word[(eq + 1)..];
            var isBool = Array.IndexOf(bools, name) >= 0;
            var isList = Array.IndexOf(lists, name) >= 0;
            if (!isBool && !isList && Array.IndexOf(strings, name) < 0)
            {
                throw DockerfileError.At(node.Position, $"unknown flag: {name}");
            }
            if (isBool)
            {
                if (value is not null && value != "true" && value != "false")
                {
                    throw DockerfileError.At(node.Position, $"expecting boolean value for flag {name}, not: {value}");
                }
                value ??= "true";
            }
            else if (value is null)
            {
                throw DockerfileError.At(node.Position, $"missing a value on flag: {name}");
            }
            if (!values.TryGetValue(name, out var list))
            {
                values[name] = list = [];
            }
            else if (!isList)
            {
                throw DockerfileError.At(node.Position, $"duplicate flag specified: {name}");
            }
            list.Add(value);
        }
    }

    public string? String(string name) => values.TryGetValue(name, out var v) ? v[0] : null;

    public bool Bool(string name) => String(name) == "true";

    public IReadOnlyList<string> List(string name) => values.TryGetValue(name, out var v) ? v : [];
}
