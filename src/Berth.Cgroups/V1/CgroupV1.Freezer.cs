using System.Diagnostics;
using Berth.Cgroups.Fs;
using Berth.Errdefs;

namespace Berth.Cgroups.V1;

internal sealed partial class CgroupV1
{
    private string FreezerDir(string verb) =>
        Dir("freezer") ?? throw BerthException.FailedPrecondition($"{verb} cgroup: the `freezer` cgroup controller is not mounted");

    /// <summary>
    /// Writes FROZEN and polls freezer.state until it leaves FREEZING. A task stuck in an
    /// uninterruptible sleep can keep the cgroup FREEZING; like runc, thaw and retry now and
    /// then, and thaw again on failure so nothing is left half frozen.
    /// </summary>
    public void Freeze()
    {
        var dir = FreezerDir("freeze");
        var clock = Stopwatch.StartNew();
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                if (attempt % 50 == 49)
                {
                    _fs.Write(dir, "freezer.state", "THAWED");
                    Thread.Sleep(10);
                }
                _fs.Write(dir, "freezer.state", "FROZEN");
                var state = CgroupFs.Read(dir, "freezer.state").Trim();
                if (state == "FROZEN")
                {
                    return;
                }
                if (state != "FREEZING")
                {
                    throw BerthException.Internal($"freeze cgroup `{dir}`: unexpected freezer state `{state}`");
                }
                if (clock.Elapsed > _options.FreezeTimeout)
                {
                    throw new BerthException(ErrorKind.Unavailable, $"freeze cgroup `{dir}`: still freezing after {_options.FreezeTimeout.TotalSeconds:0.#}s");
                }
                Thread.Sleep(attempt < 10 ? 1 : 10);
            }
        }
        catch (BerthException)
        {
            try
            {
                _fs.Write(dir, "freezer.state", "THAWED");
            }
            catch (BerthException)
            {
                // The freeze error is the one to report.
            }
            throw;
        }
    }

    public void Thaw() => _fs.Write(FreezerDir("thaw"), "freezer.state", "THAWED");

    /// <summary>Frozen by its own freezer.state, not merely because a parent cgroup is frozen.</summary>
    public bool IsFrozen()
    {
        var dir = FreezerDir("read state of");
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var state = CgroupFs.Read(dir, "freezer.state").Trim();
            switch (state)
            {
                case "THAWED":
                    return false;
                case "FROZEN":
                    return CgroupFs.TryRead(dir, "freezer.self_freezing")?.Trim() is null or "1";
                case "FREEZING" when clock.Elapsed < _options.FreezeTimeout:
                    Thread.Sleep(1);
                    continue;
                default:
                    throw BerthException.Internal($"read freezer state of `{dir}`: unexpected state `{state}`");
            }
        }
    }
}
