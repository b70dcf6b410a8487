using System.Text;
using System.Text.Json;
using Berth.Errdefs;

namespace Berth.Distribution.Client.Credentials;

/// <summary>
/// Where registry credentials come from and go to. <see cref="Find"/> reads berth's auth file
/// first, then docker's <c>config.json</c> (<c>$DOCKER_CONFIG/config.json</c>, else
/// <c>~/.docker/config.json</c>); <see cref="Save"/> and <see cref="Remove"/> change only berth's
/// file, written whole to a temp file with mode 0600 and renamed. Both files have docker's shape.
/// Keys are compared as docker does: <c>https://HOST/…</c> and <c>HOST</c> name the same registry,
/// and docker.io is docker's <c>https://index.docker.io/v1/</c>. A secret is never put in a message.
/// </summary>
public sealed class CredentialStore(string authFile, string? dockerConfigFile)
{
    /// <summary>No auth file is read beyond this size (a real one is a few KiB).</summary>
    public const int MaxFileBytes = 1 << 20;

    public const string DockerHubKey = "https://index.docker.io/v1/";

    public string AuthFilePath { get; } = authFile;

    public string? DockerConfigPath { get; } = dockerConfigFile;

    /// <summary>
    /// The default locations: <c>$BERTH_AUTH_FILE</c>, else <c>$XDG_CONFIG_HOME/berth/auth.json</c>
    /// (<c>~/.config/berth/auth.json</c>); docker's from <c>$DOCKER_CONFIG</c> or <c>~/.docker</c>.
    /// </summary>
    public static CredentialStore Default()
    {
        var home = Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } h ? h : "/root";
        var auth = Environment.GetEnvironmentVariable("BERTH_AUTH_FILE") is { Length: > 0 } a ? a
            : Path.Combine(Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } x ? x : Path.Combine(home, ".config"), "berth", "auth.json");
        var docker = Path.Combine(Environment.GetEnvironmentVariable("DOCKER_CONFIG") is { Length: > 0 } d ? d : Path.Combine(home, ".docker"), "config.json");
        return new CredentialStore(auth, docker);
    }

    /// <summary>The key a registry host is stored under (docker.io is docker's index URL).</summary>
    public static string KeyOf(string registry) => registry is "docker.io" or "index.docker.io" or "registry-1.docker.io" ? DockerHubKey : registry;

    /// <summary>The host a stored key names: the scheme and any path dropped.</summary>
    public static string HostOf(string key)
    {
        var host = key;
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
            host = host[(scheme + 3)..];
        var slash = host.IndexOf('/');
        if (slash >= 0)
            host = host[..slash];
        return host is "index.docker.io" or "registry-1.docker.io" ? "docker.io" : host;
    }

    /// <summary>The credential for <paramref name="registry"/>, or null (anonymous).</summary>
    public RegistryCredential? Find(string registry)
    {
        var host = HostOf(KeyOf(registry));
        foreach (var path in new[] { AuthFilePath, DockerConfigPath })
        {
            if (path is null || Read(path) is not { Auths: { } auths })
                continue;
            foreach (var (key, entry) in auths)
            {
                if (HostOf(key) == host && Decode(entry, path, key) is { } credential)
                    return credential;
            }
        }
        return null;
    }

    public void Save(string registry, RegistryCredential credential)
    {
        var file = Read(AuthFilePath) ?? new AuthFile();
        var auths = new Dictionary<string, AuthEntry>(file.Auths ?? [], StringComparer.Ordinal);
        foreach (var key in auths.Keys.Where(k => HostOf(k) == HostOf(KeyOf(registry))).ToList())
            auths.Remove(key);
        auths[KeyOf(registry)] = new AuthEntry { Auth = Convert.ToBase64String(Encoding.UTF8.GetBytes(credential.Username + ":" + credential.Password)) };
        Write(file with { Auths = auths });
    }

    /// <summary>Removes the registry's entry from berth's file; false when there was none.</summary>
    public bool Remove(string registry)
    {
        var file = Read(AuthFilePath);
        if (file?.Auths is not { } existing)
            return false;
        var auths = new Dictionary<string, AuthEntry>(existing, StringComparer.Ordinal);
        var removed = false;
        foreach (var key in auths.Keys.Where(k => HostOf(k) == HostOf(KeyOf(registry))).ToList())
            removed |= auths.Remove(key);
        if (removed)
            Write(file with { Auths = auths });
        return removed;
    }

    private static AuthFile? Read(string path)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
                return null;
            if (info.Length > MaxFileBytes)
                throw BerthException.InvalidArgument($"read auth file `{path}`: larger than {MaxFileBytes} bytes");
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw BerthException.Wrap(e, $"read auth file `{path}`");
        }
        if (bytes.Length == 0)
            return null;
        try
        {
            return JsonSerializer.Deserialize(bytes, ClientJson.Default.AuthFile);
        }
        catch (JsonException e)
        {
            throw BerthException.Wrap(e, $"read auth file `{path}`");
        }
    }

    private static RegistryCredential? Decode(AuthEntry entry, string path, string key)
    {
        if (!string.IsNullOrEmpty(entry.Auth))
        {
            string text;
            try
            {
                text = Encoding.UTF8.GetString(Convert.FromBase64String(entry.Auth));
            }
            catch (FormatException)
            {
                throw BerthException.InvalidArgument($"read auth file `{path}`: entry `{key}`: auth is not base64");
            }
            var colon = text.IndexOf(':');
            if (colon < 0)
                throw BerthException.InvalidArgument($"read auth file `{path}`: entry `{key}`: auth is not user:password");
            return new RegistryCredential(text[..colon], text[(colon + 1)..]);
        }
        if (!string.IsNullOrEmpty(entry.Username) && entry.Password is not null)
            return new RegistryCredential(entry.Username, entry.Password);
        return null;
    }

    private void Write(AuthFile file)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(AuthFilePath))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(AuthFilePath)}.{Environment.ProcessId}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, file, ClientJson.Default.AuthFile);
            stream.Flush(flushToDisk: true);
        }
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, AuthFilePath, overwrite: true);
    }
}
