namespace Berth.Build.Copy;

/// <summary>What a <see cref="Copier"/> is built with.</summary>
public sealed record CopierOptions
{
    /// <summary>The client ADD downloads URLs with; null makes one per copier.</summary>
    public HttpClient? Http { get; init; }

    /// <summary>Where downloads wait between prepare and apply; null means the system temp directory.</summary>
    public string? TempDirectory { get; init; }

    /// <summary>The largest body an ADD of a URL accepts.</summary>
    public long MaxDownloadSize { get; init; } = 8L << 30;

    /// <summary>How long one download may take.</summary>
    public TimeSpan DownloadTimeout { get; init; } = TimeSpan.FromMinutes(30);
}
