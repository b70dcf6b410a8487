namespace Berth.Build.Parser;

/// <summary>A 1-based line and column in a Dockerfile, for messages and carets.</summary>
public readonly record struct SourcePosition(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}
