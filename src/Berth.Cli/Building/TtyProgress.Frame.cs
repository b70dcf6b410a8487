using System.Text;

namespace Berth.Cli.Building;

/// <summary>Drawing: what one frame holds, and how it replaces the previous one in place.</summary>
public sealed partial class TtyProgress
{
    private List<string> Frame(bool final)
    {
        var (columns, height) = size();
        var width = columns > 0 ? columns : 80;
        // One column short of the edge: a line that fills it would wrap on some terminals and throw off the count.
        var room = Math.Max(1, width - 1);

        var blocks = new List<(bool Finished, List<string> Lines)>();
        foreach (var row in rows)
        {
            if (row.Step is { } s)
            {
                var lines = new List<string> { StepLine(s, room) };
                if (!final && s.State == StepState.Running)
                {
                    var tail = s.Tail.ToList();
                    if (s.Lines.HasPartial)
                    {
                        tail.Add(TerminalText.Sanitize(s.Lines.Partial));
                    }
                    foreach (var t in tail.Skip(Math.Max(0, tail.Count - TailLines)))
                    {
                        lines.Add(Paint(TerminalText.Faint, TerminalText.Truncate(" => => # " + t, room)));
                    }
                }
                blocks.Add((s.State != StepState.Running, lines));
            }
            else
            {
                blocks.Add((true, [Paint(TerminalText.Blue, TerminalText.Truncate(" => " + TerminalText.Sanitize(row.Message!), room))]));
            }
        }

        var frame = new List<string> { Header(room, final) };
        var body = blocks.Sum(b => b.Lines.Count);
        var limit = height > 1 ? height - 2 : 0; // the header and the line the cursor rests on
        var first = 0;
        if (!final)
        {
            // Too tall for the screen: finished steps at the top make way first, then whatever is oldest.
            while (body > limit && first < blocks.Count && blocks[first].Finished)
            {
                body -= blocks[first].Lines.Count;
                first++;
            }
        }
        var all = blocks.Skip(first).SelectMany(b => b.Lines).ToList();
        frame.AddRange(final || all.Count <= limit ? all : all.Skip(all.Count - limit));
        return frame;
    }

    private string Header(int room, bool final)
    {
        var done = steps.Values.Count(s => s.State != StepState.Running);
        // Steps not yet seen count too when their stage says how many it has.
        var stages = steps.Values.Where(s => s.Build.Count > 0).GroupBy(s => s.Build.Stage).Sum(g => g.Max(s => s.Build.Count));
        var total = Math.Max(steps.Count, stages + steps.Values.Count(s => s.Build.Count == 0));
        var header = $"[+] Building {ProgressText.Seconds(time.GetElapsedTime(began))}s ({done}/{total})";
        if (final && done == total)
        {
            header += " FINISHED";
        }
        return TerminalText.Truncate(header, room);
    }

    private string StepLine(Step s, int room)
    {
        var prefix = s.State switch
        {
            StepState.Cached => "CACHED ",
            StepState.Error => "ERROR ",
            StepState.Canceled => "CANCELED ",
            _ => "",
        };
        var elapsed = s.State == StepState.Running ? time.GetElapsedTime(s.Began) : s.Elapsed;
        var timer = ProgressText.Seconds(elapsed) + "s";
        var name = " => " + prefix + ProgressText.Name(s.Build).Replace('\t', ' ');
        string line;
        if (room - timer.Length - 1 < 12)
        {
            line = TerminalText.Truncate(name, room); // too narrow for the timer
        }
        else
        {
            var left = room - timer.Length - 1;
            line = TerminalText.Truncate(name, left).PadRight(left) + " " + timer;
        }
        return s.State switch
        {
            StepState.Running => line,
            StepState.Error => Paint(TerminalText.Red, line),
            StepState.Canceled => Paint(TerminalText.Yellow, line),
            _ => Paint(TerminalText.Blue, line),
        };
    }

    private string Paint(string code, string text) => color ? code + text + TerminalText.Reset : text;

    // Back to the top of the previous frame, overwrite it line by line, clear whatever it had
    // below; the cursor is hidden meanwhile so it does not flicker across the screen.
    private void Draw(List<string> lines)
    {
        var b = new StringBuilder();
        b.Append(drawn == 0 ? TerminalText.HideCursor : TerminalText.Up(drawn));
        foreach (var line in lines)
        {
            b.Append(line).Append(TerminalText.ClearToEndOfLine).Append('\n');
        }
        if (lines.Count < drawn)
        {
            b.Append(TerminalText.ClearToEndOfScreen);
        }
        drawn = lines.Count;
        writer.Write(b.ToString());
    }
}
