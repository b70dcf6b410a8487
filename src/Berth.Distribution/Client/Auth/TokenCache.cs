namespace Berth.Distribution.Client.Auth;

/// <summary>
/// Bearer tokens by registry and scope, kept until shortly before they expire. A token is only
/// ever reused for the exact registry and scope it was issued for. Thread-safe; the clock is a
/// parameter so expiry is testable.
/// </summary>
public sealed class TokenCache(TimeProvider? clock = null)
{
    /// <summary>A token this close to expiry is treated as expired (a request in flight must not outlive it).</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(10);

    /// <summary>Tokens without expires_in live this long (the specification's default).</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(60);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Dictionary<(string, string), (string Token, DateTimeOffset Expires)> _tokens = new();
    private readonly Lock _lock = new();

    public string? Get(string registry, string scope)
    {
        lock (_lock)
        {
            if (!_tokens.TryGetValue((registry, scope), out var entry))
                return null;
            if (_clock.GetUtcNow() + Margin < entry.Expires)
                return entry.Token;
            _tokens.Remove((registry, scope));
            return null;
        }
    }

    public void Put(string registry, string scope, string token, TimeSpan? lifetime)
    {
        var life = lifetime is { } l && l > TimeSpan.Zero ? l : DefaultLifetime;
        lock (_lock)
            _tokens[(registry, scope)] = (token, _clock.GetUtcNow() + life);
    }

    public void Remove(string registry, string scope)
    {
        lock (_lock)
            _tokens.Remove((registry, scope));
    }
}
