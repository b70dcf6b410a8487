using System.Text;
using Berth.Errdefs;

namespace Berth.Registry.Auth;

/// <summary>
/// An htpasswd file as <c>htpasswd -B</c> writes it: <c>user:$2y$…</c> per line. Only bcrypt hashes
/// are accepted (as distribution accepts only them); another hash, a malformed line or a file over
/// 1 MiB is refused at load with the line number.
/// </summary>
public sealed class Htpasswd
{
    public const int MaxFileBytes = 1 << 20;
    private readonly Dictionary<string, string> _hashes;

    private Htpasswd(Dictionary<string, string> hashes)
    {
        _hashes = hashes;
    }

    public int Count => _hashes.Count;

    public static Htpasswd Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
            throw BerthException.NotFound($"read htpasswd `{path}`: no such file");
        if (info.Length > MaxFileBytes)
            throw BerthException.InvalidArgument($"read htpasswd `{path}`: over {MaxFileBytes} bytes");
        return Parse(File.ReadAllText(path), path);
    }

    public static Htpasswd Parse(string text, string name = "htpasswd")
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var colon = line.IndexOf(':');
            if (colon <= 0)
                throw BerthException.InvalidArgument($"read htpasswd `{name}`: line {number}: not `user:hash`");
            var hash = line[(colon + 1)..];
            if (!(hash.StartsWith("$2y$", StringComparison.Ordinal) || hash.StartsWith("$2a$", StringComparison.Ordinal) || hash.StartsWith("$2b$", StringComparison.Ordinal)) || hash.Length != 60)
                throw BerthException.InvalidArgument($"read htpasswd `{name}`: line {number}: only bcrypt hashes are supported (htpasswd -B)");
            hashes[line[..colon]] = hash;
        }
        return new Htpasswd(hashes);
    }

    /// <summary>True when the user exists and the password matches its hash.</summary>
    public bool Verify(string user, string password)
    {
        if (!_hashes.TryGetValue(user, out var hash))
            return false;
        try
        {
            return BCrypt.Net.BCrypt.Verify(password, hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false;
        }
    }

    /// <summary>Decodes <c>Basic base64(user:password)</c>; false when the header is not that.</summary>
    public static bool TryParseBasic(string? authorization, out string user, out string password)
    {
        user = password = "";
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) || authorization.Length > 4096)
            return false;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }
        var colon = decoded.IndexOf(':');
        if (colon <= 0)
            return false;
        user = decoded[..colon];
        password = decoded[(colon + 1)..];
        return true;
    }
}
