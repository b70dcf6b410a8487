using System.Net;
using System.Security.Cryptography;
using Berth.IntegrationTests.Cli;

namespace Berth.IntegrationTests.Registry;

/// <summary>kill -9 mid-upload, GC under concurrent pushes, and SIGTERM with a request in flight.</summary>
public sealed class RegistryFaultTests
{
    /// <summary>A request body that sends its first part, then waits until released before the rest.</summary>
    private sealed class PausedContent(byte[] first, byte[] rest, Task release) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(first);
            await stream.FlushAsync();
            await release;
            await stream.WriteAsync(rest);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = first.Length + rest.Length;
            return true;
        }
    }

    [RegistryServeFact]
    public async Task KilledMidUploadLosesNoCommittedBlobServesNoPartialOneAndTheUploadResumes()
    {
        using var root = new RegistryRoot();
        var committed = RandomNumberGenerator.GetBytes(1 << 20);
        var partial = RandomNumberGenerator.GetBytes(4 << 20);
        var partialDigest = RegistryClient.DigestOf(partial);
        string location, committedDigest;
        using (var registry = await RegistryProcess.StartAsync(root.Storage))
        using (var client = new RegistryClient(registry.Url))
        {
            committedDigest = await client.PushBlobAsync("fault/kill", committed);
            using var start = await client.SendAsync(HttpMethod.Post, "/v2/fault/kill/blobs/uploads/");
            location = start.Headers.Location!.ToString();
            var never = new TaskCompletionSource();
            var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new PausedContent(partial[..(1 << 20)], partial[(1 << 20)..], never.Task) };
            var patch = client.Http.SendAsync(request);
            var data = Path.Combine(root.Storage, "uploads", location[(location.LastIndexOf('/') + 1)..], "data");
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while ((!File.Exists(data) || new FileInfo(data).Length < 1 << 20) && DateTime.UtcNow < deadline)
                await Task.Delay(20);
            Assert.Equal(1 << 20, new FileInfo(data).Length);
            registry.Kill(); // SIGKILL mid-request
            never.SetResult(); // the rest of the body now meets a dead connection
            await Assert.ThrowsAnyAsync<Exception>(() => patch.WaitAsync(TimeSpan.FromSeconds(30)));
        }

        using (var registry = await RegistryProcess.StartAsync(root.Storage))
        using (var client = new RegistryClient(registry.Url))
        {
            Assert.Equal(committed, await client.Http.GetByteArrayAsync($"/v2/fault/kill/blobs/{committedDigest}"));
            using var notServed = await client.SendAsync(HttpMethod.Head, $"/v2/fault/kill/blobs/{partialDigest}");
            Assert.Equal(HttpStatusCode.NotFound, notServed.StatusCode);
            Assert.Null(root.BlobFile(partialDigest));

            using var status = await client.SendAsync(HttpMethod.Get, location);
            Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
            var range = status.Headers.GetValues("Range").Single();
            var received = long.Parse(range[(range.IndexOf('-') + 1)..]) + 1;
            Assert.Equal(1 << 20, received);
            using var resume = await client.SendAsync(HttpMethod.Patch, location, partial[(int)received..], configure: r => r.Content!.Headers.TryAddWithoutValidation("Content-Range", $"{received}-{partial.Length - 1}"));
            Assert.Equal(HttpStatusCode.Accepted, resume.StatusCode);
            using var put = await client.SendAsync(HttpMethod.Put, location + "?digest=" + partialDigest);
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            Assert.Equal(partial, await client.Http.GetByteArrayAsync($"/v2/fault/kill/blobs/{partialDigest}"));
        }
    }

    [RegistryServeFact]
    public async Task GcDuringConcurrentPushesDeletesNothingReferenced()
    {
        using var root = new RegistryRoot();
        using var registry = await RegistryProcess.StartAsync(root.Storage);
        using var client = new RegistryClient(registry.Url);
        var orphans = new List<string>();
        for (var i = 0; i < 5; i++)
            orphans.Add(await client.PushBlobAsync("gc/orphans", RandomNumberGenerator.GetBytes(1000)));
        var (oldManifest, oldDigest) = await client.PushImageAsync("gc/old", "v1", "old");
        // Everything so far is older than the grace period; only the orphans are unreferenced.
        foreach (var file in root.BlobFiles())
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddHours(-2));

        var pushed = new System.Collections.Concurrent.ConcurrentBag<(string Repository, string Tag, string Digest)>();
        var pushes = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var j = 0; j < 5; j++)
            {
                var (_, digest) = await client.PushImageAsync($"gc/w{worker}", $"t{j}", $"{worker}-{j}");
                pushed.Add(($"gc/w{worker}", $"t{j}", digest));
            }
        })).ToList();
        var collections = Task.Run(async () =>
        {
            for (var k = 0; k < 4; k++)
            {
                var result = BerthCli.Run(["registry", "gc", "--root", root.Storage, "--grace", "10m"]);
                Assert.True(result.ExitCode == 0, result.ToString());
            }
        });
        await Task.WhenAll([.. pushes, collections]);
        var last = BerthCli.Run(["registry", "gc", "--root", root.Storage, "--grace", "10m"]);
        Assert.True(last.ExitCode == 0, last.ToString());

        foreach (var orphan in orphans)
            Assert.Null(root.BlobFile(orphan));
        Assert.Equal(20, pushed.Count);
        foreach (var (repository, tag, digest) in pushed.Append(("gc/old", "v1", oldDigest)))
        {
            var manifest = await client.Http.GetByteArrayAsync($"/v2/{repository}/manifests/{tag}");
            Assert.Equal(digest, RegistryClient.DigestOf(manifest));
            var json = System.Text.Json.Nodes.JsonNode.Parse(manifest)!;
            foreach (var blob in json["layers"]!.AsArray().Append(json["config"]))
            {
                var d = blob!["digest"]!.GetValue<string>();
                Assert.Equal(d, RegistryClient.DigestOf(await client.Http.GetByteArrayAsync($"/v2/{repository}/blobs/{d}")));
            }
        }
        Assert.Equal(oldManifest, await client.Http.GetByteArrayAsync($"/v2/gc/old/manifests/{oldDigest}"));
    }

    [RegistryServeFact]
    public async Task SigtermFinishesTheRequestInFlightAndExitsZero()
    {
        using var root = new RegistryRoot();
        using var registry = await RegistryProcess.StartAsync(root.Storage);
        using var client = new RegistryClient(registry.Url);
        var blob = RandomNumberGenerator.GetBytes(2 << 20);
        using var start = await client.SendAsync(HttpMethod.Post, "/v2/fault/term/blobs/uploads/");
        var location = start.Headers.Location!.ToString();
        var release = new TaskCompletionSource();
        var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new PausedContent(blob[..(1 << 20)], blob[(1 << 20)..], release.Task) };
        var patch = client.Http.SendAsync(request);
        var data = Path.Combine(root.Storage, "uploads", location[(location.LastIndexOf('/') + 1)..], "data");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((!File.Exists(data) || new FileInfo(data).Length < 1 << 20) && DateTime.UtcNow < deadline)
            await Task.Delay(20);

        var exit = registry.TerminateAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(500);
        Assert.False(exit.IsCompleted, "the registry exited with a request in flight");
        release.SetResult();
        using var response = await patch.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(0, await exit);
        Assert.Equal(2 << 20, new FileInfo(data).Length);
        Assert.Empty(Directory.EnumerateFiles(root.Storage, "*.tmp", SearchOption.AllDirectories));
    }
}
