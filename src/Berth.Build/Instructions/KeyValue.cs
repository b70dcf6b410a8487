using Berth.Build.Parser;

namespace Berth.Build.Instructions;

/// <summary>A name and its value as written (quotes kept for word expansion); Value is null for a bare ARG.</summary>
public sealed record KeyValue(string Key, string? Value)
{
    public override string ToString() => Value is null ? Key : Key + "=" + Value;
}
