using Berth.Engine.Builds;

namespace Berth.Cli.Building;

/// <summary>
/// BuildKit's live terminal display: a header <c>[+] Building 3.2s (5/8)</c>, one line per step
/// with its state and time (running steps tick; <c>CACHED</c>, <c>ERROR</c>), and under each
/// running step the last <see cref="TailLines"/> lines of its output, faint. Events only change
/// state; a timer redraws the frame in place every <see cref="Refresh"/> (cursor up, overwrite,
/// clear what is left), so a chatty step costs no more than a quiet one. A live frame fits the
/// terminal's height by dropping finished steps from the top; the final frame, drawn by
/// <see cref="Complete"/>, shows every step and stays on screen, followed by each failed step's
/// last <see cref="ErrorTail"/> lines of output.
/// </summary>
public sealed partial class TtyProgress : IBuildDisplay
{
    public const int TailLines = 6;
    public const int ErrorTail = 20;
    public static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(100);

    private readonly object gate = new();
    private readonly TextWriter writer;
    private readonly Func<(int Columns, int Rows)> size;
    private readonly TimeProvider time;
    private readonly bool color;
    private readonly long began;
    private readonly Dictionary<int, Step> steps = [];
    private readonly List<Row> rows = [];
    private readonly ITimer timer;
    private int drawn;
    private bool completed;

    /// <param name="writer">The terminal (stderr).</param>
    /// <param name="size">The terminal's columns and rows, asked at each frame so a resize is followed.</param>
    /// <param name="time">The clock and the redraw timer.</param>
    /// <param name="color">BuildKit's colours: finished steps blue, errors red, canceled yellow, output faint.</param>
    public TtyProgress(TextWriter writer, Func<(int Columns, int Rows)> size, TimeProvider? time = null, bool color = true)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(size);
        this.writer = writer;
        this.size = size;
        this.time = time ?? TimeProvider.System;
        this.color = color;
        began = this.time.GetTimestamp();
        timer = this.time.CreateTimer(_ => Tick(), null, Refresh, Refresh);
    }

    public void Started(BuildStep step) => Update(step, s => s.Began = time.GetTimestamp());

    public void Cached(BuildStep step) => Update(step, s => End(s, StepState.Cached, TimeSpan.Zero));

    public void Finished(BuildStep step, TimeSpan elapsed) => Update(step, s => End(s, StepState.Done, elapsed));

    public void Failed(BuildStep step, TimeSpan elapsed, string error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Update(step, s =>
        {
            s.Error = error;
            End(s, StepState.Error, elapsed);
        });
    }

    public void Output(BuildStep step, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(step);
        lock (gate)
        {
            if (!completed)
            {
                var s = Get(step);
                s.Lines.Append(data, time.GetTimestamp(), s.Add);
            }
        }
    }

    public void Message(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (gate)
        {
            if (!completed)
            {
                rows.Add(new Row(null, text));
            }
        }
    }

    public void Complete()
    {
        timer.Dispose();
        lock (gate)
        {
            if (completed)
            {
                return;
            }
            completed = true;
            foreach (var s in steps.Values.Where(s => s.State == StepState.Running))
            {
                End(s, StepState.Canceled, time.GetElapsedTime(s.Began));
            }
            Draw(Frame(final: true));
            writer.Write(TerminalText.ShowCursor);
            foreach (var row in rows)
            {
                if (row.Step is { Error: not null } s)
                {
                    writer.Write("------\n");
                    writer.Write($" > {ProgressText.Name(s.Build)}:\n");
                    foreach (var line in s.Log)
                    {
                        writer.Write(line + "\n");
                    }
                    writer.Write("------\n");
                }
            }
            writer.Flush();
        }
    }

    public void Dispose() => Complete();

    /// <summary>One redraw, as the timer does it; tests call it to take a frame at a known time.</summary>
    internal void Tick()
    {
        lock (gate)
        {
            if (!completed)
            {
                Draw(Frame(final: false));
                writer.Flush();
            }
        }
    }

    private void Update(BuildStep step, Action<Step> change)
    {
        ArgumentNullException.ThrowIfNull(step);
        lock (gate)
        {
            if (!completed)
            {
                change(Get(step));
            }
        }
    }

    private void End(Step s, StepState state, TimeSpan elapsed)
    {
        s.Lines.Flush(s.Add);
        s.State = state;
        s.Elapsed = elapsed;
    }

    private Step Get(BuildStep step)
    {
        if (!steps.TryGetValue(step.Id, out var s))
        {
            s = new Step(step, this) { Began = time.GetTimestamp() };
            steps[step.Id] = s;
            rows.Add(new Row(s, null));
        }
        return s;
    }

    private enum StepState
    {
        Running,
        Cached,
        Done,
        Error,
        Canceled,
    }

    private sealed record Row(Step? Step, string? Message);

    private sealed class Step(BuildStep build, TtyProgress owner)
    {
        public BuildStep Build { get; } = build;
        public long Began { get; set; }
        public StepState State { get; set; }
        public TimeSpan Elapsed { get; set; }
        public string? Error { get; set; }
        public OutputLines Lines { get; } = new();

        /// <summary>The last complete lines, cleaned for drawing.</summary>
        public Queue<string> Tail { get; } = new();

        /// <summary>The last lines as "0.112 text", for the failure summary.</summary>
        public Queue<string> Log { get; } = new();

        public void Add(long at, string text)
        {
            Keep(Tail, TerminalText.Sanitize(text), TailLines);
            Keep(Log, ProgressText.Offset(owner.time.GetElapsedTime(Began, at)) + " " + text, ErrorTail);
        }

        private static void Keep(Queue<string> q, string line, int max)
        {
            q.Enqueue(line);
            if (q.Count > max)
            {
                q.Dequeue();
            }
        }
    }
}
