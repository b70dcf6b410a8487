namespace Berth.Runtime.IntegrationTests.Harness;

/// <summary>The state statuses of runtime.md, spelled out here so the suite depends only on the spec.</summary>
public static class Status
{
    public const string Created = "created";
    public const string Running = "running";
    public const string Stopped = "stopped";
    public const string Paused = "paused";
}
