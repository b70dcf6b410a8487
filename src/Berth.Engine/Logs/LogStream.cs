namespace Berth.Engine.Logs;

/// <summary>Which of the container's output streams a log entry came from.</summary>
public enum LogStream
{
    Stdout,
    Stderr,
}
