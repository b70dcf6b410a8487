using Berth.Cgroups.Fs;
using Berth.Errdefs;
using Berth.Linux;
using Berth.Oci.Runtime;

namespace Berth.Cgroups.V1;

internal sealed partial class CgroupV1
{
    /// <summary>
    /// cpu.shares (read back: the kernel clamps silently), CFS bandwidth, realtime budget and
    /// idle. The period goes before the quota; if the kernel refuses the new period against the
    /// old quota (EINVAL: old quota/new period would exceed the parent), the quota is written
    /// first and the period again after it, as runc does.
    /// </summary>
    private void SetCpu(LinuxCpu? cpu)
    {
        if (cpu is null || (cpu.Shares is null or 0 && cpu.Quota is null or 0 && cpu.Period is null or 0
            && cpu.Burst is null && cpu.RealtimePeriod is null or 0 && cpu.RealtimeRuntime is null or 0 && cpu.Idle is null))
        {
            return;
        }
        var dir = Require("cpu", "cpu limits");
        if (cpu.Shares is { } shares and not 0)
        {
            _fs.Write(dir, "cpu.shares", Number(shares));
            var actual = CgroupFs.ReadUInt(dir, "cpu.shares");
            if (actual != shares)
            {
                throw BerthException.InvalidArgument(shares > actual
                    ? $"set cpu shares `{shares}`: the maximum allowed is {actual}"
                    : $"set cpu shares `{shares}`: the minimum allowed is {actual}");
            }
        }
        string? retryPeriod = null;
        if (cpu.Period is { } period and not 0)
        {
            try
            {
                _fs.Write(dir, "cpu.cfs_period_us", Number(period));
            }
            catch (BerthException e) when (e.Errno == Errno.EINVAL && cpu.Quota is not (null or 0))
            {
                retryPeriod = Number(period);
            }
        }
        if (cpu.Quota is { } quota and not 0)
        {
            _fs.Write(dir, "cpu.cfs_quota_us", quota < 0 ? "-1" : Number(quota));
            if (retryPeriod is not null)
            {
                _fs.Write(dir, "cpu.cfs_period_us", retryPeriod);
            }
        }
        if (cpu.Burst is { } burst)
        {
            _fs.Write(dir, "cpu.cfs_burst_us", Number(burst));
        }
        // The realtime period bounds the runtime, so it goes first.
        if (cpu.RealtimePeriod is { } rtPeriod and not 0)
        {
            _fs.Write(dir, "cpu.rt_period_us", Number(rtPeriod));
        }
        if (cpu.RealtimeRuntime is { } rtRuntime and not 0)
        {
            _fs.Write(dir, "cpu.rt_runtime_us", Number(rtRuntime));
        }
        if (cpu.Idle is { } idle)
        {
            _fs.Write(dir, "cpu.idle", Number(idle));
        }
    }

    private void SetCpuset(LinuxCpu? cpu)
    {
        if (cpu is null || (string.IsNullOrEmpty(cpu.Cpus) && string.IsNullOrEmpty(cpu.Mems)))
        {
            return;
        }
        var dir = Require("cpuset", "cpuset");
        if (!string.IsNullOrEmpty(cpu.Cpus))
        {
            _fs.Write(dir, "cpuset.cpus", cpu.Cpus);
        }
        if (!string.IsNullOrEmpty(cpu.Mems))
        {
            _fs.Write(dir, "cpuset.mems", cpu.Mems);
        }
    }

    /// <summary>
    /// A new v1 cpuset starts with empty cpus and mems, and the kernel refuses tasks into it
    /// (ENOSPC) until both are set: from the top of the hierarchy down to
    /// <paramref name="dir"/>, copy each empty one from the parent (a level made earlier by
    /// someone else may be empty too).
    /// </summary>
    private void FillCpusetChain(string dir)
    {
        var chain = new Stack<string>();
        for (var level = dir.TrimEnd('/'); CgroupFs.Exists(level, "cpuset.cpus"); level = Path.GetDirectoryName(level)!)
        {
            chain.Push(level);
        }
        chain.TryPop(out _); // the hierarchy's root has no parent to copy from
        while (chain.TryPop(out var level))
        {
            FillCpuset(level);
        }
    }

    private void FillCpuset(string dir)
    {
        var parent = Path.GetDirectoryName(dir.TrimEnd('/'))!;
        foreach (var file in (string[])["cpuset.cpus", "cpuset.mems"])
        {
            if (CgroupFs.TryRead(dir, file) is { } value && value.Trim().Length == 0
                && CgroupFs.TryRead(parent, file)?.Trim() is { Length: > 0 } inherited)
            {
                _fs.Write(dir, file, inherited);
            }
        }
    }

    private void SetPids(LinuxPids? pids)
    {
        if (pids is null)
        {
            return;
        }
        var dir = Require("pids", "pids limit");
        _fs.Write(dir, "pids.max", pids.Limit > 0 ? Number(pids.Limit) : "max");
    }
}
