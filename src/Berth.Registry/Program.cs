using Berth.Errdefs;
using Berth.Registry.Gc;
using Berth.Registry.Server;
using Berth.Registry.Storage;

namespace Berth.Registry;

/// <summary>
/// <c>berth-registry serve|gc [flags]</c>, which <c>berth registry</c> execs. Exit 0 on a clean stop,
/// 1 with the message on stderr otherwise, 2 for bad usage.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        try
        {
            if (args.Length == 0 || args[0] is "-h" or "--help")
            {
                Console.Out.Write(CommandLine.Usage);
                return args.Length == 0 ? 2 : 0;
            }
            switch (args[0])
            {
                case "serve":
                    var options = CommandLine.ParseServe(args[1..]);
                    var app = RegistryHost.Build(options, Console.Error);
                    await app.RunAsync();
                    return 0;
                case "gc":
                    var (root, grace, uploadTtl) = CommandLine.ParseGc(args[1..]);
                    var store = new RegistryStore(new FileSystemDriver(root));
                    var purged = uploadTtl is { } ttl ? store.PurgeUploads(DateTime.UtcNow - ttl) : 0;
                    var result = await new GarbageCollector(store, grace).CollectAsync(CancellationToken.None);
                    Console.Out.WriteLine($"{result.Marked} reachable, {result.Deleted} blob(s) deleted, {result.BytesFreed} bytes freed, {purged} upload(s) purged");
                    return 0;
                default:
                    Console.Error.WriteLine($"berth registry: unknown command `{args[0]}`");
                    Console.Error.Write(CommandLine.Usage);
                    return 2;
            }
        }
        catch (BerthException e)
        {
            Console.Error.WriteLine("berth registry: " + e.Message);
            return e.Kind == ErrorKind.InvalidArgument ? 2 : 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            Console.Error.WriteLine("berth registry: " + e.Message);
            return 1;
        }
    }
}
