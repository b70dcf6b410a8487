using Berth.Cli.Formatting;

namespace Berth.Cli.Tests.Formatting;

public sealed class GoFloatTests
{
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.5, "1.5")]
    [InlineData(100000.0, "100000")]
    [InlineData(1000000.0, "1e+06")]
    [InlineData(123456789.0, "1.23456789e+08")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(-2.25, "-2.25")]
    [InlineData(0.1, "0.1")]
    public void PercentV(double v, string expected) => Assert.Equal(expected, GoFloat.FormatV(v));

    [Theory]
    [InlineData(1.23456, 3, "1.23")]
    [InlineData(999.5, 3, "1e+03")]
    [InlineData(1.125, 3, "1.12")] // exact tie: to even
    [InlineData(1.375, 3, "1.38")]
    [InlineData(10.0, 3, "10")]
    [InlineData(512.0, 3, "512")]
    [InlineData(0.0, 3, "0")]
    public void PercentG(double v, int precision, string expected) => Assert.Equal(expected, GoFloat.FormatG(v, precision));

    [Theory]
    [InlineData(1.5, 2, "1.50")]
    [InlineData(2.675, 2, "2.67")] // 2.675 is 2.67499999… in binary
    [InlineData(0.0, 0, "0")]
    [InlineData(1234.5678, 1, "1234.6")]
    public void PercentF(double v, int precision, string expected) => Assert.Equal(expected, GoFloat.FormatFixed(v, precision));

    [Theory]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(3.0, "3")]
    public void Json(double v, string expected) => Assert.Equal(expected, GoFloat.FormatJson(v));
}
