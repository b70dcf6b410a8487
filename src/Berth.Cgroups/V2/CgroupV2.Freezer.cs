using System.Diagnostics;
using Berth.Cgroups.Fs;
using Berth.Errdefs;

namespace Berth.Cgroups.V2;

internal sealed partial class CgroupV2
{
    /// <summary>
    /// Writes 1 to cgroup.freeze, then waits for cgroup.events to say "frozen 1": the write
    /// only asks, and the kernel freezes tasks as they reach a safe point. On timeout the
    /// cgroup is thawed again so nothing is left half frozen.
    /// </summary>
    public void Freeze()
    {
        RequireFreezer("freeze");
        _fs.Write(_dir, "cgroup.freeze", "1");
        var clock = Stopwatch.StartNew();
        while (!FrozenEvent())
        {
            if (clock.Elapsed > _options.FreezeTimeout)
            {
                try
                {
                    _fs.Write(_dir, "cgroup.freeze", "0");
                }
                catch (BerthException)
                {
                    // The timeout is the error to report.
                }
                throw new BerthException(ErrorKind.Unavailable, $"freeze cgroup `{_dir}`: not frozen after {_options.FreezeTimeout.TotalSeconds:0.#}s");
            }
            Thread.Sleep(clock.ElapsedMilliseconds < 20 ? 1 : 10);
        }
    }

    public void Thaw()
    {
        RequireFreezer("thaw");
        _fs.Write(_dir, "cgroup.freeze", "0");
    }

    /// <summary>Frozen when asked to be (cgroup.freeze reads 1) and the kernel reports it done.</summary>
    public bool IsFrozen()
    {
        RequireFreezer("read state of");
        if (CgroupFs.Read(_dir, "cgroup.freeze").Trim() != "1")
        {
            return false;
        }
        var clock = Stopwatch.StartNew();
        while (!FrozenEvent())
        {
            if (clock.Elapsed > _options.FreezeTimeout)
            {
                return false;
            }
            Thread.Sleep(1);
        }
        return true;
    }

    private bool FrozenEvent() => CgroupFs.ReadKeyValues(_dir, "cgroup.events").GetValueOrDefault("frozen") == 1;

    private void RequireFreezer(string verb)
    {
        if (!CgroupFs.Exists(_dir, "cgroup.freeze"))
        {
            throw Directory.Exists(_dir)
                ? new BerthException(ErrorKind.NotImplemented, $"{verb} cgroup `{_dir}`: the kernel has no cgroup v2 freezer (before 5.2)")
                : BerthException.NotFound($"{verb} cgroup `{_dir}`: no such cgroup");
        }
    }
}
