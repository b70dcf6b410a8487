using Berth.Distribution.Client.Auth;

namespace Berth.Distribution.Tests.Client;

public sealed class TokenCacheTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void KeepsATokenUntilJustBeforeItExpires()
    {
        var clock = new ManualClock();
        var cache = new TokenCache(clock);
        cache.Put("reg", "repository:a:pull", "t1", TimeSpan.FromSeconds(300));
        Assert.Equal("t1", cache.Get("reg", "repository:a:pull"));
        clock.Now += TimeSpan.FromSeconds(300) - TokenCache.Margin - TimeSpan.FromSeconds(1);
        Assert.Equal("t1", cache.Get("reg", "repository:a:pull"));
        clock.Now += TimeSpan.FromSeconds(2);
        Assert.Null(cache.Get("reg", "repository:a:pull"));
    }

    [Fact]
    public void IsPerRegistryAndScope()
    {
        var cache = new TokenCache(new ManualClock());
        cache.Put("reg", "repository:a:pull", "t1", null);
        Assert.Null(cache.Get("reg", "repository:a:pull,push"));
        Assert.Null(cache.Get("other", "repository:a:pull"));
        Assert.Null(cache.Get("reg", "repository:b:pull"));
    }

    [Fact]
    public void DefaultsToTheSpecificationsSixtySeconds()
    {
        var clock = new ManualClock();
        var cache = new TokenCache(clock);
        cache.Put("reg", "s", "t", null);
        clock.Now += TimeSpan.FromSeconds(45);
        Assert.Equal("t", cache.Get("reg", "s"));
        clock.Now += TimeSpan.FromSeconds(10);
        Assert.Null(cache.Get("reg", "s"));
    }
}
