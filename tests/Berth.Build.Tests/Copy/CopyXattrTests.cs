using Berth.Build.Copy;
using Berth.Linux.Interop;

namespace Berth.Build.Tests.Copy;

public sealed class CopyXattrTests : CopyFixture
{
    private static unsafe void SetXattr(string path, string name, byte[] value)
    {
        fixed (byte* v = value)
        {
            Assert.Equal(0, Libc.lsetxattr(path, name, v, (nuint)value.Length, 0));
        }
    }

    private static unsafe byte[]? GetXattr(string path, string name)
    {
        var buffer = new byte[256];
        nint n;
        fixed (byte* b = buffer)
        {
            n = Libc.lgetxattr(path, name, b, (nuint)buffer.Length);
        }
        return n < 0 ? null : buffer[..(int)n];
    }

    // cap_net_raw+ep, VFS_CAP_REVISION_2: what ping carries.
    private static readonly byte[] NetRaw = [0x01, 0x00, 0x00, 0x02, 0x00, 0x20, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    [Fact]
    public async Task CapabilitiesAndUserAttributesAreCopiedAfterChown()
    {
        Directory.CreateDirectory(Path.Combine(Stage, "bin"));
        var ping = Path.Combine(Stage, "bin/ping");
        File.WriteAllText(ping, "elf");
        SetXattr(ping, "security.capability", NetRaw);
        SetXattr(ping, "user.note", "hi"u8.ToArray());
        var request = Request("/usr/bin/", "/bin/ping") with { Source = new RootfsCopySource(Stage), Chown = "5:5" };
        var before = await Copier.PrepareAsync(request);
        await Copier.ApplyAsync(before, Rootfs);
        Assert.Equal(NetRaw, GetXattr(InRoot("/usr/bin/ping"), "security.capability"));
        Assert.Equal("hi"u8.ToArray(), GetXattr(InRoot("/usr/bin/ping"), "user.note"));

        SetXattr(ping, "user.note", "ho"u8.ToArray());
        using var after = await Copier.PrepareAsync(request);
        Assert.NotEqual(before.InputDigest, after.InputDigest);
        before.Dispose();
    }
}
