using Berth.Engine.Builds;

namespace Berth.Cli.Building;

/// <summary>
/// BuildKit's <c>--progress=plain</c>: a log that never redraws, safe for files and CI.
/// Each step is a block of lines prefixed <c>#ID</c>, separated by blank lines:
/// <code>
/// #2 [2/3] RUN echo hi
/// #2 0.112 hi
/// #2 DONE 0.3s
/// </code>
/// Output lines carry their seconds since the step started and are printed when their newline
/// arrives (the rest at the step's end). When two steps run at once and the other one speaks,
/// the open block is left with <c>#ID ...</c> and the other's header is printed again, as BuildKit
/// does. <see cref="IBuildProgress.Message"/> lines stand on their own between blocks.
/// </summary>
public sealed class PlainProgress : IBuildDisplay
{
    /// <summary>How many of a failed step's last lines the summary after the build repeats (BuildKit's logsBufferSize).</summary>
    public const int ErrorTail = 10;

    private readonly object gate = new();
    private readonly TextWriter writer;
    private readonly TimeProvider time;
    private readonly Dictionary<int, Entry> steps = [];
    private readonly List<Entry> order = [];
    private Entry? current;
    private bool printedAnything;
    private bool lastWasMessage;
    private bool completed;

    public PlainProgress(TextWriter writer, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        this.writer = writer;
        this.time = time ?? TimeProvider.System;
    }

    public void Started(BuildStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        lock (gate)
        {
            if (completed)
            {
                return;
            }
            var s = Get(step);
            s.Began = time.GetTimestamp();
            Switch(s, force: true);
            writer.Flush();
        }
    }

    public void Cached(BuildStep step) => End(step, s => $"#{s.Step.Id} CACHED");

    public void Finished(BuildStep step, TimeSpan elapsed) => End(step, s => $"#{s.Step.Id} DONE {ProgressText.Seconds(elapsed)}s");

    public void Failed(BuildStep step, TimeSpan elapsed, string error)
    {
        ArgumentNullException.ThrowIfNull(error);
        End(step, s =>
        {
            s.Error = error;
            return $"#{s.Step.Id} ERROR: {error}";
        });
    }

    public void Output(BuildStep step, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(step);
        lock (gate)
        {
            if (completed)
            {
                return;
            }
            var s = Get(step);
            var now = time.GetTimestamp();
            var lines = new List<string>();
            s.Lines.Append(data, now, (at, text) => lines.Add(s.Format(time, at, text)));
            if (lines.Count > 0)
            {
                Switch(s, force: false);
                foreach (var line in lines)
                {
                    writer.Write($"#{s.Step.Id} {line}\n");
                }
                writer.Flush();
            }
        }
    }

    public void Message(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (gate)
        {
            if (completed)
            {
                return;
            }
            if (current is not null)
            {
                Leave();
            }
            if (printedAnything && !lastWasMessage)
            {
                writer.Write('\n');
            }
            writer.Write(text + "\n");
            printedAnything = true;
            lastWasMessage = true;
            writer.Flush();
        }
    }

    public void Complete()
    {
        lock (gate)
        {
            if (completed)
            {
                return;
            }
            completed = true;
            foreach (var s in order.Where(s => !s.Ended).ToList())
            {
                EndLocked(s, $"#{s.Step.Id} CANCELED");
            }
            foreach (var s in order.Where(s => s.Error is not null))
            {
                writer.Write("------\n");
                writer.Write($" > {ProgressText.Name(s.Step)}:\n");
                foreach (var line in s.Tail)
                {
                    writer.Write(line + "\n");
                }
                writer.Write("------\n");
            }
            writer.Flush();
        }
    }

    public void Dispose() => Complete();

    private void End(BuildStep step, Func<Entry, string> last)
    {
        ArgumentNullException.ThrowIfNull(step);
        lock (gate)
        {
            if (completed)
            {
                return;
            }
            EndLocked(Get(step), last);
            writer.Flush();
        }
    }

    private void EndLocked(Entry s, string last) => EndLocked(s, _ => last);

    private void EndLocked(Entry s, Func<Entry, string> last)
    {
        var rest = new List<string>();
        s.Lines.Flush((at, text) => rest.Add(s.Format(time, at, text)));
        var line = last(s);
        Switch(s, force: false);
        foreach (var r in rest)
        {
            writer.Write($"#{s.Step.Id} {r}\n");
        }
        writer.Write(line + "\n");
        s.Ended = true;
        current = null;
    }

    // Makes s the open block: leaves another open one with "#ID ...", and prints s's header
    // unless s is already open (force prints it anyway, for a step that starts).
    private void Switch(Entry s, bool force)
    {
        if (current == s && !force)
        {
            return;
        }
        if (current is not null && current != s)
        {
            Leave();
        }
        if (printedAnything)
        {
            writer.Write('\n');
        }
        writer.Write($"#{s.Step.Id} {ProgressText.Name(s.Step)}\n");
        printedAnything = true;
        lastWasMessage = false;
        current = s;
    }

    private void Leave()
    {
        writer.Write($"#{current!.Step.Id} ...\n");
        current = null;
    }

    private Entry Get(BuildStep step)
    {
        if (!steps.TryGetValue(step.Id, out var s))
        {
            s = new Entry(step) { Began = time.GetTimestamp() };
            steps[step.Id] = s;
            order.Add(s);
        }
        return s;
    }

    private sealed class Entry(BuildStep step)
    {
        public BuildStep Step { get; } = step;
        public long Began { get; set; }
        public bool Ended { get; set; }
        public string? Error { get; set; }
        public OutputLines Lines { get; } = new();
        public Queue<string> Tail { get; } = new();

        // "0.112 hi", kept for the failure summary too.
        public string Format(TimeProvider time, long at, string text)
        {
            var line = ProgressText.Offset(time.GetElapsedTime(Began, at)) + " " + text;
            Tail.Enqueue(line);
            if (Tail.Count > ErrorTail)
            {
                Tail.Dequeue();
            }
            return line;
        }
    }
}
