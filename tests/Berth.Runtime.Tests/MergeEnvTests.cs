using Berth.Runtime.Lifecycle;

namespace Berth.Runtime.Tests;

public sealed class MergeEnvTests
{
    [Fact]
    public void OverridesByNameKeepingTheFirstPosition()
    {
        Assert.Equal(
            ["PATH=/bin", "HOME=/home/me", "TERM=dumb", "NEW=1"],
            ContainerRuntime.MergeEnv(["PATH=/usr/bin", "HOME=/root", "TERM=xterm"], ["HOME=/home/me", "NEW=1", "PATH=/bin", "TERM=dumb"]));
    }

    [Fact]
    public void ANameIsNotAPrefix()
    {
        Assert.Equal(["PATHX=1", "PATH=2"], ContainerRuntime.MergeEnv(["PATHX=1"], ["PATH=2"]));
        Assert.Equal(["PATH=1", "PATHX=2"], ContainerRuntime.MergeEnv(["PATH=1"], ["PATHX=2"]));
    }

    [Fact]
    public void ValuesMayHoldEqualsSigns()
    {
        Assert.Equal(["A=b=c=d"], ContainerRuntime.MergeEnv(["A=x=y"], ["A=b=c=d"]));
    }

    [Fact]
    public void EmptyValuesAndBareNamesOverrideToo()
    {
        Assert.Equal(["A=", "B"], ContainerRuntime.MergeEnv(["A=1", "B=2"], ["A=", "B"]));
        Assert.Equal(["B=3"], ContainerRuntime.MergeEnv(["B"], ["B=3"]));
    }

    [Fact]
    public void TheLastOfRepeatedOverridesWins()
    {
        Assert.Equal(["X=3", "Y=1"], ContainerRuntime.MergeEnv(["X=0"], ["X=1", "Y=1", "X=3"]));
    }

    [Fact]
    public void EmptySides()
    {
        Assert.Equal(["A=1"], ContainerRuntime.MergeEnv([], ["A=1"]));
        Assert.Equal(["A=1"], ContainerRuntime.MergeEnv(["A=1"], []));
        Assert.Empty(ContainerRuntime.MergeEnv([], []));
    }

    [Fact]
    public void NamesAreCaseSensitive()
    {
        Assert.Equal(["path=1", "PATH=2"], ContainerRuntime.MergeEnv(["path=1"], ["PATH=2"]));
    }

    [Fact]
    public void TheInputsAreNotChanged()
    {
        var first = new List<string> { "A=1" };
        ContainerRuntime.MergeEnv(first, ["A=2"]);
        Assert.Equal(["A=1"], first);
    }
}
