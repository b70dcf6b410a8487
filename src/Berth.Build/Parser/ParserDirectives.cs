namespace Berth.Build.Parser;

/// <summary>The <c># name=value</c> lines at the very top of a Dockerfile.</summary>
public sealed record ParserDirectives(string? Syntax, char Escape, string? Check)
{
    public static ParserDirectives Default { get; } = new(null, '\\', null);
}
