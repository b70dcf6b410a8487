namespace Berth.Engine.Logs;

/// <summary>One json-file entry: the bytes the container wrote (with their newline unless partial), which stream, when.</summary>
public sealed record LogEntry(LogStream Stream, DateTime Time, byte[] Log);
