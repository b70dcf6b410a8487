using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Berth.IntegrationTests.Registry;

/// <summary>Curl-level requests to a registry: plain HttpClient, nothing of Berth's client code, so the tests check the wire.</summary>
public sealed class RegistryClient : IDisposable
{
    public RegistryClient(Uri url)
    {
        Url = url;
        Http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) };
    }

    public Uri Url { get; }
    public HttpClient Http { get; }

    public static string DigestOf(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, byte[]? body = null, string? contentType = null, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? "application/octet-stream");
        }
        configure?.Invoke(request);
        return await Http.SendAsync(request);
    }

    /// <summary>Pushes a blob whole (POST ?digest=); returns its digest.</summary>
    public async Task<string> PushBlobAsync(string repository, byte[] content)
    {
        var digest = DigestOf(content);
        using var response = await SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={digest}", content);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"push blob to {repository}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return digest;
    }

    /// <summary>Pushes a config and one layer and an OCI manifest over them; returns the manifest's bytes and digest.</summary>
    public async Task<(byte[] Bytes, string Digest)> PushImageAsync(string repository, string tag, string seed, string? subject = null, string? artifactType = null)
    {
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"seed\":\"" + seed + "\"}");
        var layer = RandomNumberGenerator.GetBytes(4096);
        var configDigest = await PushBlobAsync(repository, config);
        var layerDigest = await PushBlobAsync(repository, layer);
        var manifest = Manifest(configDigest, config.Length, layerDigest, layer.Length, subject, artifactType);
        using var response = await SendAsync(HttpMethod.Put, $"/v2/{repository}/manifests/{tag}", manifest, "application/vnd.oci.image.manifest.v1+json");
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"push manifest {repository}:{tag}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (manifest, DigestOf(manifest));
    }

    public static byte[] Manifest(string config, long configSize, string layer, long layerSize, string? subject = null, string? artifactType = null)
    {
        var json = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.oci.image.config.v1+json", ["digest"] = config, ["size"] = configSize },
            ["layers"] = new JsonArray(new JsonObject { ["mediaType"] = "application/vnd.oci.image.layer.v1.tar", ["digest"] = layer, ["size"] = layerSize }),
        };
        if (artifactType is not null)
            json["artifactType"] = artifactType;
        if (subject is not null)
            json["subject"] = new JsonObject { ["mediaType"] = "application/vnd.oci.image.manifest.v1+json", ["digest"] = subject, ["size"] = 100 };
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    /// <summary>The error code of an error body.</summary>
    public static async Task<string?> CodeAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            return JsonNode.Parse(text)?["errors"]?[0]?["code"]?.GetValue<string>();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// A request with the target sent exactly as given (HttpClient and curl resolve <c>..</c>
    /// before sending); returns the status line and the whole response.
    /// </summary>
    public async Task<string> RawAsync(string method, string target)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(Url.Host, Url.Port);
        var stream = tcp.GetStream();
        var request = $"{method} {target} HTTP/1.1\r\nHost: {Url.Authority}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    public void Dispose() => Http.Dispose();
}
