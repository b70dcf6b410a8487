using Berth.Errdefs;

namespace Berth.Build.Parser;

/// <summary>
/// Builds the parser's errors: a <see cref="BerthException"/> of kind InvalidArgument whose message
/// starts <c>dockerfile:LINE:COLUMN: </c>. BerthException is sealed, so the position rides on the
/// inner <see cref="DockerfileSyntaxError"/>; <see cref="PositionOf"/> finds it again for a caret.
/// </summary>
public static class DockerfileError
{
    public static BerthException At(SourcePosition position, string message)
    {
        var full = $"dockerfile:{position.Line}:{position.Column}: {message}";
        return new BerthException(ErrorKind.InvalidArgument, full, new DockerfileSyntaxError(position, message));
    }

    /// <summary>The position of a Dockerfile error, also through <see cref="BerthException.Wrap(string)"/>.</summary>
    public static SourcePosition? PositionOf(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is DockerfileSyntaxError s)
            {
                return s.Position;
            }
        }
        return null;
    }
}
