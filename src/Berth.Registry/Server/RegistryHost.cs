using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Errdefs;
using Berth.Registry.Auth;
using Berth.Registry.Gc;
using Berth.Registry.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Registry.Server;

/// <summary>
/// Assembles and runs the server: Kestrel on one address (TLS when given a certificate), every
/// request to <see cref="Dispatcher"/>, and a background loop that purges expired uploads and, when
/// asked, collects garbage. SIGTERM and SIGINT stop it gracefully: the listener closes, requests in
/// flight finish (up to 30 s), and the process exits 0. A request cut off by the deadline loses only
/// its own upload data, which never became a blob.
/// </summary>
public static class RegistryHost
{
    public static WebApplication Build(RegistryOptions options, TextWriter log)
    {
        // Auth first: a bad flag or htpasswd file is refused before anything is created on disk.
        var authenticator = Authenticator(options, out var tokens);
        var store = new RegistryStore(new FileSystemDriver(options.Root));
        var registry = new RegistryContext(store, options, authenticator, tokens);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Listen(options.Address, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                if (options.TlsCert is not null)
                {
                    listen.UseHttps(X509Certificate2.CreateFromPemFile(options.TlsCert, options.TlsKey));
                }
                else
                {
                    listen.Protocols = HttpProtocols.Http1;
                    listen.Use(SendFileTransport.Middleware);
                }
            });
        });
        var app = builder.Build();
        app.Run(http => Dispatcher.HandleAsync(registry, http));
        var lifetime = app.Lifetime;
        _ = Task.Run(() => MaintainAsync(store, options, log, lifetime.ApplicationStopping));
        lifetime.ApplicationStarted.Register(() => log.WriteLine($"berth registry: serving {(options.TlsCert is null ? "http" : "https")}://{options.Address} from {options.Root}"));
        return app;
    }

    private static IAuthenticator Authenticator(RegistryOptions options, out TokenService? tokens)
    {
        tokens = null;
        switch (options.Auth)
        {
            case "none":
                return new AnonymousAuth();
            case "htpasswd":
                return new HtpasswdAuth(Htpasswd.Load(options.Htpasswd ?? throw BerthException.InvalidArgument("--auth htpasswd needs --htpasswd FILE")), options.Realm);
            case "token":
                var users = Htpasswd.Load(options.Htpasswd ?? throw BerthException.InvalidArgument("--auth token needs --htpasswd FILE (its users get tokens)"));
                var key = options.TokenKey is null ? RandomNumberGenerator.GetBytes(32) : File.ReadAllBytes(options.TokenKey);
                if (key.Length < 32)
                    throw BerthException.InvalidArgument($"token key `{options.TokenKey}`: needs at least 32 bytes");
                var host = options.Address.Address.Equals(IPAddress.Any) ? "127.0.0.1" : options.Address.Address.ToString();
                var realm = $"{(options.TlsCert is null ? "http" : "https")}://{host}:{options.Address.Port}{Dispatcher.TokenPath}";
                var auth = new TokenAuth(key, realm, options.Realm);
                tokens = new TokenService(auth, users, options.AnonymousPull, options.TokenLifetime);
                return auth;
            default:
                throw BerthException.InvalidArgument($"--auth `{options.Auth}`: expected none, htpasswd or token");
        }
    }

    /// <summary>Purges expired uploads every minute (sooner for short TTLs or GC intervals) and runs GC every <c>GcInterval</c>.</summary>
    private static async Task MaintainAsync(RegistryStore store, RegistryOptions options, TextWriter log, CancellationToken stopping)
    {
        var tick = TimeSpan.FromTicks(Math.Clamp(options.UploadTtl.Ticks / 4, TimeSpan.FromMilliseconds(200).Ticks, TimeSpan.FromMinutes(1).Ticks));
        if (options.GcInterval > TimeSpan.Zero && options.GcInterval < tick)
            tick = TimeSpan.FromTicks(Math.Max(options.GcInterval.Ticks, TimeSpan.FromMilliseconds(100).Ticks));
        var nextGc = options.GcInterval > TimeSpan.Zero ? DateTime.UtcNow + options.GcInterval : DateTime.MaxValue;
        var collector = new GarbageCollector(store, options.GcGrace);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(tick, stopping);
                var purged = store.PurgeUploads(DateTime.UtcNow - options.UploadTtl);
                if (purged > 0)
                    log.WriteLine($"berth registry: purged {purged} expired upload(s)");
                if (DateTime.UtcNow >= nextGc)
                {
                    var result = await collector.CollectAsync(stopping);
                    log.WriteLine($"berth registry: gc: {result.Marked} reachable, {result.Deleted} blob(s) deleted, {result.BytesFreed} bytes freed");
                    nextGc = DateTime.UtcNow + options.GcInterval;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                log.WriteLine($"berth registry: maintenance: {e.Message}");
            }
        }
    }
}
