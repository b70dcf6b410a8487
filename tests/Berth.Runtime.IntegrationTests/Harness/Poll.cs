using System.Diagnostics;

namespace Berth.Runtime.IntegrationTests.Harness;

public static class Poll
{
    /// <summary>Checks <paramref name="condition"/> every 20 ms until it holds or the time is up.</summary>
    public static bool Until(Func<bool> condition, double seconds = 10)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (condition())
                return true;
            if (watch.Elapsed.TotalSeconds > seconds)
                return false;
            Thread.Sleep(20);
        }
    }

    /// <summary>Waits for a file to exist and hold text containing <paramref name="expected"/>; returns its content.</summary>
    public static string FileContains(string path, string expected, double seconds = 10)
    {
        var text = "";
        Until(() => File.Exists(path) && (text = File.ReadAllText(path)).Contains(expected, StringComparison.Ordinal), seconds);
        return text;
    }
}
