using System.Diagnostics;
using Berth.Images.Layers;
using Berth.Images.Tests.Layers;
using Berth.Linux.Interop;

namespace Berth.Images.Tests;

/// <summary>GNU tar as the real peer: it reads what the differ writes, and the applier reads what it writes.</summary>
public sealed class LayerPeerTests
{
    private static readonly byte[] Caps = [0x01, 0, 0, 0x02, 0x80, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private static void MakeTree(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "usr/bin"));
        File.WriteAllText(Path.Combine(root, "usr/bin/ping"), "ELF");
        SetXattr(Path.Combine(root, "usr/bin/ping"), "security.capability", Caps);
        SetXattr(Path.Combine(root, "usr/bin/ping"), "user.note", "hi"u8.ToArray());
        File.CreateSymbolicLink(Path.Combine(root, "usr/bin/p"), "ping");
        Assert.Equal(0, Libc.linkat(Libc.AT_FDCWD, Path.Combine(root, "usr/bin/ping"), Libc.AT_FDCWD, Path.Combine(root, "usr/bin/ping2"), 0));
        Assert.Equal(0, Libc.lchown(Path.Combine(root, "usr/bin/ping"), 12, 34));
        File.SetUnixFileMode(Path.Combine(root, "usr/bin/ping"), (UnixFileMode)0x1ed);
        SetXattr(Path.Combine(root, "usr/bin/ping"), "security.capability", Caps); // chown dropped it
    }

    [Fact]
    public async Task ApplierReadsGnuTarPaxWithXattrs()
    {
        using var source = new LayerRoot();
        using var target = new LayerRoot();
        MakeTree(source.Target);
        var tar = Run("tar", ["--xattrs", "--xattrs-include=*", "--format=pax", "-C", source.Target, "-cf", "-", "."], null);

        var result = await LayerApplier.ApplyAsync(new MemoryStream(tar), target.Target);

        Assert.Equal(tar.Length, result.Size);
        Assert.Equal("ELF", File.ReadAllText(target["usr/bin/ping2"]));
        Assert.Equal("ping", new FileInfo(target["usr/bin/p"]).LinkTarget);
        Assert.StartsWith("regular file 755 12:34", LayerRoot.Stat(target["usr/bin/ping"]));
        Assert.Equal(Caps, LayerRoot.GetXattr(target["usr/bin/ping"], "security.capability"));
        Assert.Equal("hi"u8.ToArray(), LayerRoot.GetXattr(target["usr/bin/ping"], "user.note"));
        target.AssertSentinelUntouched();
    }

    [Fact]
    public async Task GnuTarExtractsWhatTheDifferWrites()
    {
        using var source = new LayerRoot();
        using var target = new LayerRoot();
        MakeTree(source.Target);
        var tar = new MemoryStream();
        await LayerDiffer.WriteAsync(source.Target, [], tar);

        var listing = System.Text.Encoding.UTF8.GetString(Run("tar", ["-tvf", "-"], tar.ToArray()));
        Run("tar", ["--xattrs", "--xattrs-include=*", "--same-owner", "-xpf", "-", "-C", target.Target], tar.ToArray());

        Assert.Contains("usr/bin/ping2 link to usr/bin/ping", listing);
        Assert.Contains("usr/bin/p -> ping", listing);
        Assert.Equal("ELF", File.ReadAllText(target["usr/bin/ping2"]));
        Assert.StartsWith("regular file 755 12:34", LayerRoot.Stat(target["usr/bin/ping"]));
        Assert.Equal(Caps, LayerRoot.GetXattr(target["usr/bin/ping"], "security.capability"));
    }

    private static unsafe void SetXattr(string path, string name, byte[] value)
    {
        fixed (byte* p = value)
        {
            Assert.Equal(0, Libc.lsetxattr(path, name, p, (nuint)value.Length, 0));
        }
    }

    private static byte[] Run(string file, string[] args, byte[]? stdin)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardInput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = new MemoryStream();
        var copy = p.StandardOutput.BaseStream.CopyToAsync(output);
        var error = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            p.StandardInput.BaseStream.Write(stdin);
        }

        p.StandardInput.Close();
        copy.Wait();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)}: {error.Result}");
        return output.ToArray();
    }
}
