using Berth.Build.Cache;
using Berth.Oci;

namespace Berth.Build.Tests.Cache;

public sealed class CacheKeyTests
{
    private static readonly Digest Parent = Digest.Of("parent"u8);
    private static readonly Digest Input = Digest.Of("input"u8);

    private static Digest Key(Digest parent, string text, Digest[] inputs, Dictionary<string, string>? extra = null) =>
        CacheKey.For(parent, text, inputs, extra);

    [Fact]
    public void GoldenDigestIsStable() =>
        Assert.Equal("sha256:f75d0ae077acaec570a594faa52eee817f49d52861bd8540e1fe8e7eb799c1de", Key(Parent, "COPY app /app", [Input], new() { ["platform"] = "linux/amd64" }).ToString());

    [Fact]
    public void EachInputChangesTheKey()
    {
        var baseline = Key(Parent, "RUN make", [Input], new() { ["a"] = "1" });
        Assert.Equal(baseline, Key(Parent, "RUN make", [Input], new() { ["a"] = "1" }));
        Assert.NotEqual(baseline, Key(Digest.Of("other"u8), "RUN make", [Input], new() { ["a"] = "1" }));
        Assert.NotEqual(baseline, Key(default, "RUN make", [Input], new() { ["a"] = "1" }));
        Assert.NotEqual(baseline, Key(Parent, "RUN make all", [Input], new() { ["a"] = "1" }));
        Assert.NotEqual(baseline, Key(Parent, "RUN make", [Digest.Of("x"u8)], new() { ["a"] = "1" }));
        Assert.NotEqual(baseline, Key(Parent, "RUN make", [], new() { ["a"] = "1" }));
        Assert.NotEqual(baseline, Key(Parent, "RUN make", [Input, Input], new() { ["a"] = "1" }));
        Assert.NotEqual(baseline, Key(Parent, "RUN make", [Input], new() { ["a"] = "2" }));
        Assert.NotEqual(baseline, Key(Parent, "RUN make", [Input], new() { ["b"] = "1" }));
        Assert.NotEqual(baseline, Key(Parent, "RUN make", [Input], null));
    }

    [Fact]
    public void FieldsDoNotRunTogether() =>
        Assert.NotEqual(
            Key(Parent, "RUN a", [], new() { ["ab"] = "c" }),
            Key(Parent, "RUN a", [], new() { ["a"] = "bc" }));

    [Fact]
    public void ExtraOrderDoesNotMatter() =>
        Assert.Equal(
            Key(Parent, "x", [], new() { ["a"] = "1", ["b"] = "2" }),
            Key(Parent, "x", [], new() { ["b"] = "2", ["a"] = "1" }));

    [Fact]
    public void NullExtraIsEmptyExtra() =>
        Assert.Equal(Key(Parent, "x", [], null), Key(Parent, "x", [], []));
}
