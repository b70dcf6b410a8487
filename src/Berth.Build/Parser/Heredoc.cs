namespace Berth.Build.Parser;

/// <summary>
/// A here-document (<c>&lt;&lt;EOF</c>): its delimiter, its body with a trailing newline, whether
/// the body is expanded (an unquoted delimiter) and whether leading tabs were stripped (<c>&lt;&lt;-</c>).
/// </summary>
public sealed record Heredoc(string Name, string Content, bool Expand, bool Chomp);
