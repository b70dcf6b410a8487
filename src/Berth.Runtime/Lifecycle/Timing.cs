namespace Berth.Runtime.Lifecycle;

/// <summary>Phase timings on stderr when BERTH_RUNTIME_TIMING is set: for finding where a lifecycle spends its time.</summary>
internal static class Timing
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("BERTH_RUNTIME_TIMING") is { Length: > 0 };
    private static readonly long Start = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>The variable to pass on to a spawned init when timing is on, else null.</summary>
    public static string? Variable => Enabled ? "BERTH_RUNTIME_TIMING=1" : null;

    public static void Mark(string what)
    {
        if (Enabled)
            Console.Error.WriteLine($"[{Environment.ProcessId}] {System.Diagnostics.Stopwatch.GetElapsedTime(Start).TotalMilliseconds,8:F2} ms {what}");
    }
}
