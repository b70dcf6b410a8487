namespace Berth.Build.Parser;

/// <summary>
/// One instruction as written: its name in lower case, the <c>--flag[=value]</c> words that follow
/// it, the rest of the logical line (continuations joined), whether the rest is a JSON (exec) form
/// array and, if so, its strings, and any here-documents. <see cref="Position"/> is the first
/// character of the instruction name; <see cref="EndLine"/> the last physical line it used.
/// </summary>
public sealed record Node(
    string Name,
    string Original,
    IReadOnlyList<string> Flags,
    string Rest,
    IReadOnlyList<string>? Json,
    IReadOnlyList<Heredoc> Heredocs,
    SourcePosition Position,
    int EndLine,
    char Escape)
{
    public bool IsJson => Json is not null;
}
