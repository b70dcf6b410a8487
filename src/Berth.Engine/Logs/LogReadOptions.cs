namespace Berth.Engine.Logs;

/// <summary>What `berth logs` asks of <see cref="JsonFileLogReader"/>.</summary>
public sealed record LogReadOptions
{
    /// <summary>Only the last N entries (docker's --tail); null for all.</summary>
    public int? Tail { get; init; }

    /// <summary>Only entries at or after this time (--since; see <see cref="LogTime.Parse"/>).</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only entries before this time (--until).</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Prefix each entry with its RFC 3339 time and a space (--timestamps).</summary>
    public bool Timestamps { get; init; }

    /// <summary>Keep reading new entries (across rotations) until <see cref="IsRunning"/> says the container is gone.</summary>
    public bool Follow { get; init; }

    /// <summary>For <see cref="Follow"/>: false once the container has exited (e.g. from <c>MonitorProbe</c>).</summary>
    public Func<bool>? IsRunning { get; init; }

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);
}
