using System.Text.Json;
using Berth.Errdefs;
using Berth.Linux;
using Berth.Linux.Interop;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Hooks;

/// <summary>
/// Runs OCI hooks: each with its exact argv and environment, the container's state as JSON on
/// stdin, killed after its timeout. A failing hook stops the lifecycle step, except where the
/// spec says to only warn (poststart, poststop).
/// </summary>
public static class HookRunner
{
    public static void Run(IReadOnlyList<Hook>? hooks, string phase, Oci.Runtime.State state)
    {
        if (hooks is null)
            return;
        var json = JsonSerializer.SerializeToUtf8Bytes(state, RuntimeJsonContext.Default.State);
        for (var i = 0; i < hooks.Count; i++)
        {
            try
            {
                RunOne(hooks[i], json);
            }
            catch (BerthException e)
            {
                throw e.Wrap($"run {phase} hook #{i} `{hooks[i].Path}`");
            }
        }
    }

    /// <summary>
    /// Runs every hook, reporting failures on stderr instead of throwing: the spec says a failing
    /// poststart or poststop hook only warns, and the remaining hooks still run.
    /// </summary>
    public static void RunAndWarn(IReadOnlyList<Hook>? hooks, string phase, Oci.Runtime.State state, TextWriter warnings)
    {
        if (hooks is null)
            return;
        var json = JsonSerializer.SerializeToUtf8Bytes(state, RuntimeJsonContext.Default.State);
        for (var i = 0; i < hooks.Count; i++)
        {
            try
            {
                RunOne(hooks[i], json);
            }
            catch (BerthException e)
            {
                warnings.WriteLine($"warning: run {phase} hook #{i} `{hooks[i].Path}`: {e.Message}");
            }
        }
    }

    private static unsafe void RunOne(Hook hook, byte[] stateJson)
    {
        if (!hook.Path.StartsWith('/'))
            throw BerthException.InvalidArgument("hook path is not absolute");
        var fds = stackalloc int[2];
        if (Libc.pipe2(fds, Libc.O_CLOEXEC) != 0)
            throw Errno.Last("create pipe");
        int pid;
        try
        {
            var args = hook.Args is { Count: > 0 } a ? a : [hook.Path];
            pid = Spawner.Spawn(new SpawnRequest(hook.Path, args, hook.Env ?? []) { FdMap = [(fds[0], 0)] });
        }
        finally
        {
            Libc.close(fds[0]);
        }
        try
        {
            fixed (byte* p = stateJson)
            {
                // A hook that does not read its stdin must not make us fail: ignore EPIPE.
                Libc.write(fds[1], p, (nuint)stateJson.Length);
            }
        }
        finally
        {
            Libc.close(fds[1]);
        }
        var timeout = hook.Timeout is > 0 ? TimeSpan.FromSeconds(hook.Timeout.Value) : Timeout.InfiniteTimeSpan;
        int? code = timeout == Timeout.InfiniteTimeSpan ? Children.Wait(pid) : Children.Wait(pid, timeout);
        if (code is null)
        {
            Libc.kill(pid, Signals.SIGKILL);
            Children.Wait(pid);
            throw BerthException.FailedPrecondition($"timed out after {hook.Timeout}s");
        }
        if (code != 0)
            throw BerthException.FailedPrecondition(code > 128 ? $"killed by {Signals.Name(code.Value - 128)}" : $"exit status {code}");
    }
}
