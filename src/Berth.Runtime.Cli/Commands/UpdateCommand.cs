using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Berth.Errdefs;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Cli.Commands;

/// <summary>`update`: change a container's cgroup limits, from flags or a LinuxResources JSON (-r FILE, "-" for stdin).</summary>
internal static class UpdateCommand
{
    private static readonly Argument<string> Id = new("container-id");
    private static readonly Option<string?> Resources = new("--resources", "-r");
    private static readonly Option<string?> Memory = new("--memory");
    private static readonly Option<string?> MemorySwap = new("--memory-swap");
    private static readonly Option<string?> MemoryReservation = new("--memory-reservation");
    private static readonly Option<string?> KernelMemory = new("--kernel-memory");
    private static readonly Option<string?> KernelMemoryTcp = new("--kernel-memory-tcp");
    private static readonly Option<string?> CpuShares = new("--cpu-share");
    private static readonly Option<string?> CpuPeriod = new("--cpu-period");
    private static readonly Option<string?> CpuQuota = new("--cpu-quota");
    private static readonly Option<string?> CpuRtPeriod = new("--cpu-rt-period");
    private static readonly Option<string?> CpuRtRuntime = new("--cpu-rt-runtime");
    private static readonly Option<string?> CpusetCpus = new("--cpuset-cpus");
    private static readonly Option<string?> CpusetMems = new("--cpuset-mems");
    private static readonly Option<string?> PidsLimit = new("--pids-limit");
    private static readonly Option<string?> BlkioWeight = new("--blkio-weight");

    public static Command Build()
    {
        var command = new Command("update", "update container resource constraints");
        command.Arguments.Add(Id);
        foreach (var option in new Option[] { Resources, Memory, MemorySwap, MemoryReservation, KernelMemory, KernelMemoryTcp, CpuShares, CpuPeriod, CpuQuota, CpuRtPeriod, CpuRtRuntime, CpusetCpus, CpusetMems, PidsLimit, BlkioWeight })
            command.Options.Add(option);
        command.SetAction(result => Cli.Execute(result, () =>
        {
            Cli.Runtime(result).Update(result.GetValue(Id)!, ResourcesFor(result));
            return 0;
        }));
        return command;
    }

    private static LinuxResources ResourcesFor(ParseResult result)
    {
        if (result.GetValue(Resources) is { } file)
        {
            try
            {
                var bytes = file == "-" ? ReadStdin() : File.ReadAllBytes(file);
                return JsonSerializer.Deserialize(bytes, RuntimeJsonContext.Default.LinuxResources) ?? new LinuxResources();
            }
            catch (Exception e) when (e is not BerthException)
            {
                throw BerthException.Wrap(e, $"read resources `{file}`");
            }
        }
        LinuxMemory? memory = null;
        if (Bytes(result, Memory) is { } limit)
            memory = new LinuxMemory { Limit = limit };
        if (Bytes(result, MemorySwap) is { } swap)
            memory = (memory ?? new LinuxMemory()) with { Swap = swap };
        if (Bytes(result, MemoryReservation) is { } reservation)
            memory = (memory ?? new LinuxMemory()) with { Reservation = reservation };
        if (Bytes(result, KernelMemory) is { } kernel)
            memory = (memory ?? new LinuxMemory()) with { Kernel = kernel };
        if (Bytes(result, KernelMemoryTcp) is { } tcp)
            memory = (memory ?? new LinuxMemory()) with { KernelTCP = tcp };
        LinuxCpu? cpu = null;
        LinuxCpu Cpu() => cpu ??= new LinuxCpu();
        if (Number(result, CpuShares) is { } shares)
            cpu = Cpu() with { Shares = (ulong)shares };
        if (Number(result, CpuPeriod) is { } period)
            cpu = Cpu() with { Period = (ulong)period };
        if (Number(result, CpuQuota) is { } quota)
            cpu = Cpu() with { Quota = quota };
        if (Number(result, CpuRtPeriod) is { } rtPeriod)
            cpu = Cpu() with { RealtimePeriod = (ulong)rtPeriod };
        if (Number(result, CpuRtRuntime) is { } rtRuntime)
            cpu = Cpu() with { RealtimeRuntime = rtRuntime };
        if (result.GetValue(CpusetCpus) is { } cpus)
            cpu = Cpu() with { Cpus = cpus };
        if (result.GetValue(CpusetMems) is { } mems)
            cpu = Cpu() with { Mems = mems };
        return new LinuxResources
        {
            Memory = memory,
            Cpu = cpu,
            Pids = Number(result, PidsLimit) is { } pids ? new LinuxPids { Limit = pids } : null,
            BlockIO = Number(result, BlkioWeight) is { } weight ? new LinuxBlockIO { Weight = (ushort)weight } : null,
        };
    }

    private static byte[] ReadStdin()
    {
        using var stdin = Console.OpenStandardInput();
        using var buffer = new MemoryStream();
        stdin.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static long? Number(ParseResult result, Option<string?> option)
    {
        var text = result.GetValue(option);
        if (text is null)
            return null;
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw BerthException.InvalidArgument($"{option.Name} `{text}` is not a number");
    }

    /// <summary>Sizes as docker's units.RAMInBytes reads them: 512, 100k, 64m, 1g (binary multiples); -1 is unlimited.</summary>
    private static long? Bytes(ParseResult result, Option<string?> option)
    {
        var text = result.GetValue(option);
        if (text is null)
            return null;
        if (text == "-1")
            return -1;
        var t = text.Trim().ToLowerInvariant().TrimEnd('b');
        long multiplier = 1;
        if (t.Length > 0 && "kmgtp".Contains(t[^1]))
        {
            multiplier = t[^1] switch { 'k' => 1L << 10, 'm' => 1L << 20, 'g' => 1L << 30, 't' => 1L << 40, _ => 1L << 50 };
            t = t[..^1];
        }
        if (!double.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) || number < 0)
            throw BerthException.InvalidArgument($"{option.Name} `{text}` is not a size");
        return (long)(number * multiplier);
    }
}
