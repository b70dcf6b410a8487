using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;
using Berth.Oci.Runtime;
using Berth.Runtime.Hooks;
using Berth.Runtime.State;

namespace Berth.Runtime.Lifecycle;

public sealed partial class ContainerRuntime
{
    /// <summary>
    /// Lets a created container run its process: opening the exec fifo for reading releases
    /// the init, which answers one byte and execs; the fifo is then removed, which is what
    /// makes the container "running". Poststart hooks follow.
    /// </summary>
    public void Start(string id)
    {
        Timing.Mark("start: begin");
        var state = _store.Load(id);
        using (_store.Lock(id))
        {
            Timing.Mark("start: locked");
            var status = StatusOf(state);
            if (status != ContainerStatus.Created)
                throw BerthException.FailedPrecondition(status == ContainerStatus.Stopped
                    ? $"cannot start container `{id}`: it has stopped"
                    : $"cannot start container `{id}`: it is already {status}");
            var fifo = Path.Combine(_store.Dir(id), StateStore.ExecFifo);
            ReleaseInit(id, fifo, state);
            Timing.Mark("start: released");
            File.Delete(fifo);
        }
        var running = ToOci(state, ContainerStatus.Running);
        HookRunner.RunAndWarn(state.Poststart, "poststart", running, options.Warnings);
    }

    private static void ReleaseInit(string id, string fifo, ContainerState state)
    {
        var fd = -1;
        Exception? failure = null;
        // open(O_RDONLY) blocks until the init opens the other end; do it on a thread of its own
        // so that an init that died meanwhile is noticed instead of waited for forever.
        var opener = new Thread(() =>
        {
            fd = Libc.open(fifo, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
            if (fd < 0)
                failure = Errno.Last($"open exec fifo `{fifo}`");
        }, 128 * 1024);
        opener.Start();
        while (!opener.Join(20))
        {
            if (!ProcFs.IsAlive(state.InitPid, state.InitStartTime))
            {
                // Unblock the opener with a writer of our own, then report.
                var w = Libc.open(fifo, Libc.O_WRONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0);
                opener.Join();
                if (w >= 0)
                    Libc.close(w);
                if (fd >= 0)
                    Libc.close(fd);
                throw BerthException.FailedPrecondition($"cannot start container `{id}`: its init has exited");
            }
        }
        if (failure is not null)
            throw failure;
        try
        {
            unsafe
            {
                byte b = 0;
                var n = Libc.read(fd, &b, 1);
                if (n != 1 || b != (byte)'0')
                    throw BerthException.FailedPrecondition($"cannot start container `{id}`: its init did not answer");
                // The init keeps its end open through the startContainer hooks until execve
                // closes it: wait for that EOF (as runc does), so poststart hooks run after them.
                do
                    n = Libc.read(fd, &b, 1);
                while (n > 0 || (n < 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == Errno.EINTR));
            }
        }
        finally
        {
            Libc.close(fd);
        }
    }
}
