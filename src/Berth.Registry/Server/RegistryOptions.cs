using System.Net;

namespace Berth.Registry.Server;

/// <summary>How <c>berth registry serve</c> was asked to run.</summary>
public sealed record RegistryOptions
{
    public required IPEndPoint Address { get; init; }
    public required string Root { get; init; }
    public string? TlsCert { get; init; }
    public string? TlsKey { get; init; }

    /// <summary><c>none</c>, <c>htpasswd</c> or <c>token</c>.</summary>
    public string Auth { get; init; } = "none";
    public string? Htpasswd { get; init; }
    public string Realm { get; init; } = "berth-registry";

    /// <summary>The signing key file for <c>--auth token</c> (32+ random bytes); null: a fresh key per start.</summary>
    public string? TokenKey { get; init; }
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>With token auth, whether a client without credentials gets pull scopes.</summary>
    public bool AnonymousPull { get; init; }

    public int MaxManifestBytes { get; init; } = Oci.Image.ImageJson.MaxManifestBytes;

    /// <summary>An upload not written to for this long is purged.</summary>
    public TimeSpan UploadTtl { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How often serve runs GC in the background; zero: never (use <c>berth registry gc</c>).</summary>
    public TimeSpan GcInterval { get; init; } = TimeSpan.Zero;

    /// <summary>An unreferenced blob younger than this is kept (its manifest may be on its way).</summary>
    public TimeSpan GcGrace { get; init; } = TimeSpan.FromHours(1);
}
