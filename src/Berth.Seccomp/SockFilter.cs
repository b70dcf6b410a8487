namespace Berth.Seccomp;

/// <summary>struct sock_filter from linux/filter.h.</summary>
public readonly record struct SockFilter(ushort Code, byte Jt, byte Jf, uint K);
