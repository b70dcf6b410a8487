using Berth.Linux.Interop;
using Berth.Oci.Runtime;
using Berth.Runtime.IntegrationTests.Harness;
using Xunit.Abstractions;

namespace Berth.Runtime.IntegrationTests.Tests;

/// <summary>runtime.md's lifecycle: create → created, start → running, exit → stopped, delete.</summary>
[Collection(LifecycleCollection.Name)]
public sealed class LifecycleTests(SuiteFixture suite, ITestOutputHelper output) : RuntimeTest(suite, output)
{
    [Fact]
    public void CreateStartExitDelete_WalksThroughTheStates()
    {
        var c = NewContainer(s => s.Shell("read line < /tmp/go; echo done"));
        // A fifo keeps the process waiting in "running" until the test writes to it.
        Assert.Equal(0, Libc.mkfifo(c.Bundle.HostPath("/tmp/go"), 0x1b6 /* 0666 */));

        var created = c.Create().AssertSuccess();
        var state = c.State();
        Assert.Equal(Status.Created, state.Status);
        Assert.Equal(c.Id, state.Id);
        Assert.True(state.Pid > 0, $"created state has pid {state.Pid}");
        Assert.True(Directory.Exists($"/proc/{state.Pid}"), "the init process exists after create");
        Assert.Equal(Path.GetFullPath(c.Bundle.Dir), state.Bundle);
        Assert.Equal("", created.ReadStdout());

        c.Start().AssertSuccess();
        var running = c.State();
        Assert.Equal(Status.Running, running.Status);
        Assert.Equal(state.Pid, running.Pid);

        File.WriteAllText(c.Bundle.HostPath("/tmp/go"), "go\n");
        c.WaitForStatus(Status.Stopped);
        Assert.Equal("done\n", created.ReadStdout());

        c.Delete().AssertSuccess();
        c.StateRaw().AssertFailure();
        AssertNothingLeft(c);
    }
}
