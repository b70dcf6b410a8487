namespace Berth.Errdefs;

/// <summary>
/// The one exception type Berth's libraries throw. It carries a <see cref="ErrorKind"/> and a
/// message in the runc/crun shape, lowercase, "verb `object`: cause", where each layer that
/// catches and rethrows adds its own context in front with <see cref="Wrap"/>.
/// </summary>
public sealed class BerthException : Exception
{
    public BerthException(ErrorKind kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
    }

    public ErrorKind Kind { get; }

    /// <summary>The errno behind the failure when it came from a system call, else 0.</summary>
    public int Errno { get; init; }

    public static BerthException NotFound(string message) => new(ErrorKind.NotFound, message);

    public static BerthException AlreadyExists(string message) => new(ErrorKind.AlreadyExists, message);

    public static BerthException InvalidArgument(string message) => new(ErrorKind.InvalidArgument, message);

    public static BerthException FailedPrecondition(string message) => new(ErrorKind.FailedPrecondition, message);

    public static BerthException Conflict(string message) => new(ErrorKind.Conflict, message);

    public static BerthException Unavailable(string message) => new(ErrorKind.Unavailable, message);

    public static BerthException Internal(string message, Exception? inner = null) => new(ErrorKind.Internal, message, inner);

    /// <summary>
    /// Adds context in front of the message while keeping the kind and errno:
    /// <c>Wrap("create container `web`")</c> turns "mount `/proc`: permission denied" into
    /// "create container `web`: mount `/proc`: permission denied".
    /// </summary>
    public BerthException Wrap(string context) =>
        new(Kind, context + ": " + Message, this) { Errno = Errno };

    /// <summary>Wraps any exception: a BerthException keeps its kind, anything else is Internal.</summary>
    public static BerthException Wrap(Exception e, string context) => e switch
    {
        BerthException b => b.Wrap(context),
        System.Text.Json.JsonException j => new BerthException(ErrorKind.InvalidArgument, context + ": " + JsonMessage(j), j),
        FileNotFoundException or DirectoryNotFoundException => new BerthException(ErrorKind.NotFound, context + ": " + Lower(e.Message), e),
        UnauthorizedAccessException => new BerthException(ErrorKind.PermissionDenied, context + ": " + Lower(e.Message), e),
        _ => new BerthException(ErrorKind.Internal, context + ": " + Lower(e.Message), e),
    };

    private static string JsonMessage(System.Text.Json.JsonException j)
    {
        // System.Text.Json puts the JSON path in its message already; keep the first sentence.
        var message = j.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var path = j.Path is { Length: > 0 } p ? $"field `{p}`: " : "";
        return path + Lower(cut > 0 ? message[..cut] : message).TrimEnd('.');
    }

    private static string Lower(string s) =>
        s.Length > 1 && char.IsUpper(s[0]) && !char.IsUpper(s[1]) ? char.ToLowerInvariant(s[0]) + s[1..] : s;
}
