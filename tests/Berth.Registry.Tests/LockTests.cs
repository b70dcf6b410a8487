using Berth.Linux.Files;

namespace Berth.Registry.Tests;

/// <summary>gc.lock's two sides: pushes share it, a sweep excludes them (and they it), across opens as across processes.</summary>
public sealed class LockTests
{
    [Fact]
    public void SharedHoldersCoexistAndExcludeTheExclusiveOne()
    {
        using var root = new TempRoot();
        var path = root.Full("gc.lock");
        using (var first = ReadWriteFileLock.TryAcquire(path, exclusive: false))
        using (var second = ReadWriteFileLock.TryAcquire(path, exclusive: false))
        {
            Assert.NotNull(first);
            Assert.NotNull(second);
            Assert.Null(ReadWriteFileLock.TryAcquire(path, exclusive: true));
        }
        using (var sweep = ReadWriteFileLock.TryAcquire(path, exclusive: true))
        {
            Assert.NotNull(sweep);
            Assert.Null(ReadWriteFileLock.TryAcquire(path, exclusive: false));
        }
        using var again = ReadWriteFileLock.TryAcquire(path, exclusive: false);
        Assert.NotNull(again);
    }

    [Fact]
    public async Task AManifestPutWaitsForASweepToEnd()
    {
        using var root = new TempRoot();
        var sweep = await root.Store.SweepLockAsync(CancellationToken.None);
        var push = root.Store.PushLockAsync(CancellationToken.None);
        await Task.Delay(100);
        Assert.False(push.IsCompleted);
        sweep.Dispose();
        using var held = await push.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
