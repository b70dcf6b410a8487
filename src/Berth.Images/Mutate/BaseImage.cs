using System.Diagnostics;
using System.Text;
using Berth.Errdefs;
using Berth.Images.Content;
using Berth.Images.Layers;
using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Images.Mutate;

/// <summary>
/// Base images made from what the host has, with no registry: <see cref="CreateBusyboxAsync"/>
/// builds a one-layer busybox image from the host's static busybox.
/// </summary>
public static class BaseImage
{
    public const string BusyboxPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private static readonly string[] Directories = ["bin", "dev", "etc", "home", "proc", "root", "sys", "tmp", "usr", "usr/bin", "usr/sbin", "var"];

    /// <summary>
    /// Writes a busybox image into <paramref name="store"/> and returns its manifest descriptor
    /// (name it with the image index). The layer holds the binary at <c>/bin/busybox</c>, a symlink
    /// to it for every applet <c>busybox --list-full</c> names, the usual top-level directories
    /// (<c>/tmp</c> 1777, <c>/root</c> 0700) and an <c>/etc/passwd</c> and <c>/etc/group</c> with root
    /// and nobody (65534); entries sorted, owned by root, all at <see cref="BusyboxOptions.Timestamp"/>.
    /// The config runs <c>sh</c> with the usual PATH. The same binary and options give the same
    /// digests. No busybox at the path is NotFound naming the Debian package <c>busybox-static</c>.
    /// </summary>
    public static async Task<Descriptor> CreateBusyboxAsync(IContentStore store, BusyboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= new BusyboxOptions();
        var busybox = options.BusyboxPath;
        if (!File.Exists(busybox))
            throw BerthException.NotFound($"create busybox image: `{busybox}` not found: install Debian's `busybox-static` package");
        try
        {
            var applets = await ListAppletsAsync(busybox, cancellationToken).ConfigureAwait(false);
            var tar = BuildLayer(busybox, applets, options.Timestamp.ToUnixTimeSeconds());
            var digest = await BlobBytes.WriteAsync(store, tar, cancellationToken).ConfigureAwait(false);
            var layer = new NewLayer(new Descriptor { MediaType = MediaTypes.OciLayer, Digest = digest.ToString(), Size = tar.Length }, digest)
            {
                CreatedBy = $"berth: busybox rootfs from {busybox} ({applets.Count} applets)",
            };
            var change = new ImageChange
            {
                Layers = [layer],
                Created = options.Timestamp,
                Platform = options.Platform,
                Config = new ContainerConfig { Env = [BusyboxPath], Cmd = ["sh"] },
            };
            return await new ImageWriter(store).WriteAsync(null, change, cancellationToken).ConfigureAwait(false);
        }
        catch (BerthException e)
        {
            throw e.Wrap("create busybox image");
        }
    }

    private static async Task<List<string>> ListAppletsAsync(string busybox, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(busybox, "--list-full") { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw BerthException.Internal($"run `{busybox} --list-full`: not started");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
            throw BerthException.FailedPrecondition(
                $"run `{busybox} --list-full`: exit {process.ExitCode}: {(await stderr.ConfigureAwait(false)).Trim()} (is it Debian's `busybox-static`?)");
        var applets = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in (await stdout.ConfigureAwait(false)).Split('\n'))
        {
            var path = line.Trim().TrimStart('/');
            if (path.Length == 0 || path == "bin/busybox")
                continue;
            if (path.Split('/').Any(p => p is "" or "." or ".."))
                throw BerthException.FailedPrecondition($"run `{busybox} --list-full`: unexpected applet path `{path}`");
            applets.Add(path);
        }
        return applets.ToList();
    }

    private static byte[] BuildLayer(string busybox, List<string> applets, long mtime)
    {
        var entries = new SortedDictionary<string, TarBlockEntry>(StringComparer.Ordinal);
        void Dir(string name, int mode) => entries.TryAdd(name + "/", new TarBlockEntry(name + "/", (byte)'5') { Mode = mode, MtimeSeconds = mtime });
        foreach (var dir in Directories)
            Dir(dir, dir switch { "tmp" => 0x3ff, "root" => 0x1c0, _ => 0x1ed }); // 1777, 0700, 0755
        Dir("sbin", 0x1ed);
        foreach (var applet in applets)
        {
            for (var slash = applet.IndexOf('/'); slash > 0; slash = applet.IndexOf('/', slash + 1))
                Dir(applet[..slash], 0x1ed);
            entries[applet] = new TarBlockEntry(applet, (byte)'2') { LinkName = "/bin/busybox", Mode = 0x1ff, MtimeSeconds = mtime };
        }
        var files = new Dictionary<string, byte[]>
        {
            ["bin/busybox"] = File.ReadAllBytes(busybox),
            ["etc/passwd"] = Encoding.UTF8.GetBytes("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n"),
            ["etc/group"] = Encoding.UTF8.GetBytes("root:x:0:\nnobody:x:65534:\n"),
        };
        foreach (var (name, data) in files)
            entries[name] = new TarBlockEntry(name, (byte)'0') { Mode = name == "bin/busybox" ? 0x1ed : 0x1a4, Size = data.Length, MtimeSeconds = mtime };

        var output = new MemoryStream();
        var writer = new TarBlockWriter(output);
        foreach (var entry in entries.Values)
        {
            writer.WriteHeader(entry);
            if (files.TryGetValue(entry.Name, out var data))
            {
                output.Write(data);
                writer.Pad(data.Length);
            }
        }
        writer.Finish();
        return output.ToArray();
    }
}
