namespace Berth.Cli.Tests.Building;

/// <summary>A clock that moves only when told, with timers that fire on the test's thread as it passes their due time.</summary>
internal sealed class FakeTime : TimeProvider
{
    private readonly List<FakeTimer> timers = [];
    private long now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref now);

    public int LiveTimers => timers.Count(t => !t.Disposed);

    public void Advance(TimeSpan by)
    {
        var end = now + by.Ticks;
        while (true)
        {
            var next = timers.Where(t => !t.Disposed && t.Due <= end).MinBy(t => t.Due);
            if (next is null)
            {
                break;
            }
            Interlocked.Exchange(ref now, next.Due);
            next.Due += next.Period > 0 ? next.Period : long.MaxValue / 2;
            next.Callback(next.State);
        }
        Interlocked.Exchange(ref now, end);
    }

    public void Advance(double seconds) => Advance(TimeSpan.FromSeconds(seconds));

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var t = new FakeTimer(callback, state) { Due = now + dueTime.Ticks, Period = period.Ticks };
        timers.Add(t);
        return t;
    }

    private sealed class FakeTimer(TimerCallback callback, object? state) : ITimer
    {
        public TimerCallback Callback { get; } = callback;
        public object? State { get; } = state;
        public long Due { get; set; }
        public long Period { get; set; }
        public bool Disposed { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period) => throw new NotSupportedException();

        public void Dispose() => Disposed = true;

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
