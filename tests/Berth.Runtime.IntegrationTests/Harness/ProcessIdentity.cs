namespace Berth.Runtime.IntegrationTests.Harness;

/// <summary>A pid together with its start time, so a reused pid is not mistaken for the same process.</summary>
public sealed record ProcessIdentity(int Pid, ulong StartTime)
{
    public static ProcessIdentity? Of(int pid)
    {
        var start = StartTimeOf(pid);
        return start is null ? null : new ProcessIdentity(pid, start.Value);
    }

    /// <summary>Whether this very process still exists and is not a zombie.</summary>
    public bool IsAlive
    {
        get
        {
            var stat = ReadStat(Pid);
            return stat is not null && stat.Value.State != 'Z' && stat.Value.StartTime == StartTime;
        }
    }

    private static ulong? StartTimeOf(int pid) => ReadStat(pid)?.StartTime;

    private static (char State, ulong StartTime)? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        // pid (comm) state ppid … field 22 is starttime; comm may hold spaces and parentheses.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (fields[0][0], ulong.Parse(fields[19]));
    }
}
