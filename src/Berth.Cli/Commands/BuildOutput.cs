using Berth.Engine.Builds;
using Berth.Engine.Images;
using Berth.Errdefs;
using Berth.Images.Layers;
using Berth.Oci;

namespace Berth.Cli.Commands;

/// <summary>
/// `--output`/`-o`: where else the built image goes, as BuildKit's exporters: `type=docker` or
/// `type=oci` writes an archive (`dest=FILE`, `-` for stdout), `type=local` the image's
/// filesystem into a directory; a bare `-o DIR` is `type=local,dest=DIR`. The image is kept in
/// the store as well.
/// </summary>
internal sealed record BuildOutput(string Type, string Destination)
{
    public static BuildOutput Parse(string text)
    {
        if (!text.Contains('='))
            return new BuildOutput("local", text);
        var fields = text.Split(',').Select(f => f.Split('=', 2)).ToDictionary(f => f[0].Trim(), f => f.Length > 1 ? f[1] : "", StringComparer.Ordinal);
        var type = fields.GetValueOrDefault("type") ?? throw BerthException.InvalidArgument($"invalid output `{text}`: type is required");
        if (type is not ("local" or "docker" or "oci"))
            throw BerthException.InvalidArgument($"invalid output `{text}`: unsupported type \"{type}\" (berth has local, docker and oci)");
        var dest = fields.GetValueOrDefault("dest") ?? throw BerthException.InvalidArgument($"invalid output `{text}`: dest is required");
        return new BuildOutput(type, dest);
    }

    public async Task WriteAsync(Engine.Engine engine, BuildResult result, CancellationToken ct)
    {
        if (Type == "local")
        {
            await ExportRootfsAsync(engine, result, ct).ConfigureAwait(false);
            return;
        }
        var name = result.Names.FirstOrDefault() ?? result.ImageId.ToString();
        if (Destination == "-")
        {
            await using var stdout = Console.OpenStandardOutput();
            await ImageService.Of(engine).SaveAsync([name], Type == "oci", stdout, ct).ConfigureAwait(false);
            return;
        }
        var temp = Destination + ".tmp-" + Environment.ProcessId;
        try
        {
            await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write))
                await ImageService.Of(engine).SaveAsync([name], Type == "oci", file, ct).ConfigureAwait(false);
            File.Move(temp, Destination, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>The image's layers applied in order (OCI whiteouts) into the destination directory.</summary>
    private async Task ExportRootfsAsync(Engine.Engine engine, BuildResult result, CancellationToken ct)
    {
        var image = await engine.Images.ResolveAsync(result.ImageId.ToString(), ct).ConfigureAwait(false);
        Directory.CreateDirectory(Destination);
        foreach (var layer in image.Manifest.Layers)
        {
            await using var blob = await engine.Images.Content.OpenReadAsync(Digest.Parse(layer.Digest), ct).ConfigureAwait(false);
            await LayerApplier.ApplyAsync(blob, Destination, LayerOptions.Default, ct).ConfigureAwait(false);
        }
    }
}
