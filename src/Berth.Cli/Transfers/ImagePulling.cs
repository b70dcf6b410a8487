using Berth.Cli.Commands;
using Berth.Engine.Images;
using Berth.Errdefs;
using Berth.Oci.References;

namespace Berth.Cli.Transfers;

/// <summary>
/// docker run's and create's <c>--pull</c>: <c>missing</c> (the default) pulls an image the store
/// lacks, after docker's "Unable to find image 'busybox:latest' locally"; <c>always</c> pulls
/// first; <c>never</c> leaves the store's answer ("No such image") alone. The pull's progress goes
/// to stderr, as docker's does, so the container's own stdout stays clean.
/// </summary>
internal static class ImagePulling
{
    public static async Task EnsureAsync(Engine.Engine engine, string image, string? mode, string? platform)
    {
        mode = string.IsNullOrEmpty(mode) ? "missing" : mode;
        if (mode is not ("missing" or "always" or "never"))
            throw BerthException.InvalidArgument($"invalid pull option: '{mode}': must be one of \"always\", \"missing\" or \"never\"");
        if (mode == "never")
            return;
        var service = ImageService.Of(engine);
        if (mode == "missing")
        {
            if (await engine.Images.TryResolveAsync(image).ConfigureAwait(false) is not null)
                return;
            // An id or id prefix that is not there is not something a registry could have.
            if (!Reference.TryParse(image, out var reference) || image.StartsWith("sha256:", StringComparison.Ordinal))
                return;
            var shown = reference.Digest is null ? reference.WithDefaultTag().Familiar : reference.Familiar;
            Console.Error.WriteLine($"Unable to find image '{shown}' locally");
        }
        var display = Terminal.IsTerminal(2) ? (Engine.Distribution.ITransferProgress)new TtyTransferProgress(Console.Error) : new PlainTransferProgress(Console.Error);
        var result = await service.PullAsync(image, PullCommand.ParsePlatform(platform), display).ConfigureAwait(false);
        var familiar = result.Reference.Familiar;
        display.Status(result.Updated ? $"Status: Downloaded newer image for {familiar}" : $"Status: Image is up to date for {familiar}");
    }
}
