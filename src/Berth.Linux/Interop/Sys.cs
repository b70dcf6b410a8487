using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

/// <summary>System call numbers glibc has no wrapper for, per architecture.</summary>
public static class Sys
{
    private static readonly bool Arm64 = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    public static long PivotRoot => Arm64 ? 41 : 155;
    public static long Seccomp => Arm64 ? 277 : 317;
    public static long PidfdOpen => 434;
    public static long PidfdSendSignal => 424;
    public static long CloseRange => 436;
}
