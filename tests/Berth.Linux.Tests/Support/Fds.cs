using System.Text;
using Berth.Linux.Interop;

namespace Berth.Linux.Tests.Support;

/// <summary>Raw descriptors for tests: pipes, socketpairs, reads to EOF.</summary>
internal static unsafe class Fds
{
    public static (int Read, int Write) Pipe()
    {
        var fds = stackalloc int[2];
        Assert.Equal(0, Libc.pipe2(fds, Libc.O_CLOEXEC));
        return (fds[0], fds[1]);
    }

    public static (int A, int B) SocketPair()
    {
        var fds = stackalloc int[2];
        Assert.Equal(0, Libc.socketpair(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0, fds));
        return (fds[0], fds[1]);
    }

    public static string ReadToEnd(int fd)
    {
        var result = new List<byte>();
        var buffer = stackalloc byte[4096];
        while (true)
        {
            var n = Libc.read(fd, buffer, 4096);
            Assert.True(n >= 0, $"read failed: {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
            if (n == 0)
                return Encoding.UTF8.GetString(result.ToArray());
            result.AddRange(new ReadOnlySpan<byte>(buffer, (int)n).ToArray());
        }
    }

    public static void WriteAll(int fd, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        fixed (byte* p = bytes)
            Assert.Equal(bytes.Length, (int)Libc.write(fd, p, (nuint)bytes.Length));
    }

    public static void Close(params int[] fds)
    {
        foreach (var fd in fds)
            Libc.close(fd);
    }

    /// <summary>Fields of /proc/PID/stat after the command name: [0] state, [1] ppid, [2] pgrp, [3] session…</summary>
    public static string[] StatFields(int pid)
    {
        var text = File.ReadAllText($"/proc/{pid}/stat");
        return text[(text.LastIndexOf(')') + 2)..].TrimEnd('\n').Split(' ');
    }
}
