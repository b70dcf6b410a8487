namespace Berth.Images.Mutate;

/// <summary>Inputs of <see cref="BaseImage.CreateBusyboxAsync"/>; the defaults make the usual image.</summary>
public sealed record BusyboxOptions
{
    /// <summary>A statically linked busybox, as Debian's <c>busybox-static</c> installs it.</summary>
    public string BusyboxPath { get; init; } = "/bin/busybox";

    /// <summary>The time of every tar entry, the config and its history: fixed, so digests are reproducible.</summary>
    public DateTimeOffset Timestamp { get; init; } = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The image's platform; null is the host's (the binary is the host's).</summary>
    public Oci.Image.Platform? Platform { get; init; }
}
