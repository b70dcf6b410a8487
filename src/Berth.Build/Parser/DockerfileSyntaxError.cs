namespace Berth.Build.Parser;

/// <summary>The inner exception of a Dockerfile error: docker's text without the prefix, and where.</summary>
public sealed class DockerfileSyntaxError : Exception
{
    public DockerfileSyntaxError(SourcePosition position, string reason)
        : base(reason)
    {
        Position = position;
        Reason = reason;
    }

    public SourcePosition Position { get; }

    /// <summary>Docker's message, without the <c>dockerfile:LINE:COLUMN: </c> prefix.</summary>
    public string Reason { get; }
}
