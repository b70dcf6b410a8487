using Berth.Linux.Interop;

namespace Berth.Linux;

/// <summary>Sends and receives one descriptor over a unix socket (SCM_RIGHTS), as console sockets do.</summary>
public static class FdPassing
{
    public static unsafe void Send(int socket, int fd, string name)
    {
        var nameBytes = System.Text.Encoding.UTF8.GetBytes(name);
        fixed (byte* pName = nameBytes)
        {
            var iov = new IoVec { Base = pName, Len = (nuint)nameBytes.Length };
            var control = stackalloc byte[64];
            new Span<byte>(control, 64).Clear();
            var cmsg = (CmsgHdr*)control;
            cmsg->Len = (nuint)(sizeof(CmsgHdr) + sizeof(int));
            cmsg->Level = Libc.SOL_SOCKET;
            cmsg->Type = Libc.SCM_RIGHTS;
            *(int*)(control + sizeof(CmsgHdr)) = fd;
            var msg = new MsgHdr
            {
                Iov = &iov,
                IovLen = 1,
                Control = control,
                ControlLen = (nuint)Align(sizeof(CmsgHdr) + sizeof(int)),
            };
            if (Libc.sendmsg(socket, &msg, 0) < 0)
                throw Errno.Last("send descriptor over the console socket");
        }
    }

    /// <summary>Receives a descriptor; returns it and the name sent with it.</summary>
    public static unsafe (int Fd, string Name) Receive(int socket)
    {
        var buffer = stackalloc byte[4096];
        var iov = new IoVec { Base = buffer, Len = 4096 };
        var control = stackalloc byte[64];
        var msg = new MsgHdr { Iov = &iov, IovLen = 1, Control = control, ControlLen = 64 };
        const int MSG_CMSG_CLOEXEC = 0x40000000;
        var n = Libc.recvmsg(socket, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0)
            throw Errno.Last("receive descriptor");
        var cmsg = (CmsgHdr*)control;
        if (msg.ControlLen < (nuint)sizeof(CmsgHdr) || cmsg->Level != Libc.SOL_SOCKET || cmsg->Type != Libc.SCM_RIGHTS)
            throw Errno.Exception("receive descriptor: no descriptor in the message", Errno.EINVAL);
        var fd = *(int*)(control + sizeof(CmsgHdr));
        return (fd, System.Text.Encoding.UTF8.GetString(buffer, (int)n));
    }

    private static int Align(int n) => (n + 7) & ~7;
}
