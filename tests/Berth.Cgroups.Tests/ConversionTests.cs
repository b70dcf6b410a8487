using Berth.Cgroups.V2;
using Berth.Errdefs;

namespace Berth.Cgroups.Tests;

public sealed class ConversionTests
{
    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(1UL, 1UL)]
    [InlineData(2UL, 1UL)]
    [InlineData(3UL, 1UL)]
    [InlineData(512UL, 20UL)]
    [InlineData(1024UL, 39UL)]
    [InlineData(2048UL, 79UL)]
    [InlineData(131072UL, 5000UL)]
    [InlineData(262144UL, 10000UL)]
    [InlineData(1000000UL, 10000UL)]
    public void SharesToWeight(ulong shares, ulong weight) => Assert.Equal(weight, Conversions.SharesToWeight(shares));

    [Theory]
    [InlineData(0, 0UL)]
    [InlineData(10, 1UL)]
    [InlineData(500, 4950UL)]
    [InlineData(1000, 10000UL)]
    public void BlkioWeightToIoWeight(ushort blkio, ulong io) => Assert.Equal(io, Conversions.BlkioWeightToIoWeight(blkio));

    [Theory]
    [InlineData(0L, 100L, null)]
    [InlineData(0L, -1L, -1L)]
    [InlineData(-1L, 100L, -1L)]
    [InlineData(300L, 100L, 200L)]
    [InlineData(100L, 100L, 0L)]
    [InlineData(300L, -1L, 300L)]
    public void SwapMax(long swap, long limit, long? expected) => Assert.Equal(expected, Conversions.SwapMax(swap, limit));

    [Theory]
    [InlineData(50L, 100L)]
    [InlineData(100L, 0L)]
    public void ImpossibleSwapIsInvalid(long swap, long limit)
    {
        var e = Assert.Throws<BerthException>(() => Conversions.SwapMax(swap, limit));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }
}
