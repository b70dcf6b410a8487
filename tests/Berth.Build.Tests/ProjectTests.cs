namespace Berth.Build.Tests;

public sealed class ProjectTests
{
    [Fact]
    public void TheTestDataFolderIsCopied() =>
        Assert.True(Directory.Exists(Path.Combine(AppContext.BaseDirectory, "testdata")));
}
