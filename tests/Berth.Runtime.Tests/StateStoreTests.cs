using Berth.Errdefs;
using Berth.Runtime.State;
using Berth.Runtime.Tests.Support;

namespace Berth.Runtime.Tests;

public sealed class StateStoreTests : IDisposable
{
    private readonly TempDir _root = new();
    private readonly StateStore _store;

    public StateStoreTests()
    {
        _store = new StateStore(_root["state"]);
    }

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData("a")]
    [InlineData("web")]
    [InlineData("abc-123")]
    [InlineData("my.container")]
    [InlineData("A_b+c")]
    [InlineData("...")]
    [InlineData("a..b")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void ValidIds(string id) => StateStore.ValidateId(id);

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("/a")]
    [InlineData("a/")]
    [InlineData("../a")]
    [InlineData("a b")]
    [InlineData(" a")]
    [InlineData("a\tb")]
    [InlineData("a:b")]
    [InlineData("a\\b")]
    [InlineData("a\0b")]
    [InlineData("\na")]
    [InlineData("a\nb")]
    public void InvalidIds(string id)
    {
        var e = Assert.Throws<BerthException>(() => StateStore.ValidateId(id));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal($"invalid container id `{id}`", e.Message);
    }

    [Fact]
    public void AnIdEndingInANewlineIsInvalid()
    {
        var e = Assert.Throws<BerthException>(() => StateStore.ValidateId("abc\n"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void VeryLongIdsAreInvalid()
    {
        StateStore.ValidateId(new string('a', 255));
        var e = Assert.Throws<BerthException>(() => StateStore.ValidateId(new string('a', 1025)));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Throws<BerthException>(() => StateStore.ValidateId(new string('a', 100_000)));
    }

    [Fact]
    public void AnIdTooLongForAFileNameFailsToReserveAndLeavesNothing()
    {
        // NAME_MAX is 255: whatever ValidateId says about 256..1024, Reserve must fail cleanly.
        var id = new string('a', 256);
        Assert.Throws<BerthException>(() => _store.Reserve(id));
        Assert.Empty(_store.Ids());
        Assert.Equal(_root["state"], _store.Root);
    }

    [Fact]
    public void ReserveMakesThePrivateDirectoryAndTheRoot()
    {
        Assert.False(Directory.Exists(_store.Root));
        var dir = _store.Reserve("web");
        Assert.Equal(Path.Combine(_store.Root, "web"), dir);
        Assert.True(Directory.Exists(dir));
        Assert.True(_store.Exists("web"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir));
    }

    [Fact]
    public void ReserveTwiceIsAlreadyExists()
    {
        _store.Reserve("web");
        var e = Assert.Throws<BerthException>(() => _store.Reserve("web"));
        Assert.Equal(ErrorKind.AlreadyExists, e.Kind);
        Assert.Equal("container with id `web` already exists", e.Message);
    }

    [Fact]
    public void ReserveOfABadIdTouchesNothing()
    {
        var e = Assert.Throws<BerthException>(() => _store.Reserve("../escape"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.False(Directory.Exists(_root["escape"]));
        Assert.False(Directory.Exists(_store.Root));
    }

    [Fact]
    public void SaveThenLoadRoundTrips()
    {
        _store.Reserve("web");
        var state = Sample("web");
        _store.Save(state);
        var loaded = _store.Load("web");
        Assert.Equal(state.Id, loaded.Id);
        Assert.Equal(state.Bundle, loaded.Bundle);
        Assert.Equal(state.Rootfs, loaded.Rootfs);
        Assert.Equal(state.InitPid, loaded.InitPid);
        Assert.Equal(state.InitStartTime, loaded.InitStartTime);
        Assert.Equal(state.Created, loaded.Created);
        Assert.Equal(state.Owner, loaded.Owner);
        Assert.Equal(state.Cgroup!.Unified, loaded.Cgroup!.Unified);
        Assert.Equal(state.Cgroup.Controllers, loaded.Cgroup.Controllers);
    }

    [Fact]
    public void SaveReplacesTheWholeRecord()
    {
        _store.Reserve("web");
        _store.Save(Sample("web") with { Bundle = "/a/much/longer/bundle/path/than/the/next/one", InitPid = 1 });
        _store.Save(Sample("web") with { Bundle = "/b", InitPid = 2 });
        var loaded = _store.Load("web");
        Assert.Equal("/b", loaded.Bundle);
        Assert.Equal(2, loaded.InitPid);
        Assert.Equal([StateStore.StateFile], Directory.GetFiles(_store.Dir("web")).Select(Path.GetFileName));
    }

    [Fact]
    public void LoadOfAMissingContainerIsNotFound()
    {
        var e = Assert.Throws<BerthException>(() => _store.Load("nope"));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal("container `nope` does not exist", e.Message);
    }

    [Fact]
    public void LoadOfAnUnfinishedCreateIsNotFound()
    {
        _store.Reserve("half");
        var e = Assert.Throws<BerthException>(() => _store.Load("half"));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public void LoadOfABadIdIsInvalidArgument()
    {
        var e = Assert.Throws<BerthException>(() => _store.Load("../state"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void ALeftoverTempFileDoesNotConfuseLoad()
    {
        _store.Reserve("web");
        _store.Save(Sample("web"));
        // What a writer killed between create and rename leaves behind: half a record.
        File.WriteAllText(Path.Combine(_store.Dir("web"), StateStore.StateFile + ".tmp-99999"), "{\"id\":\"web\",\"bun");
        Assert.Equal("/bundles/web", _store.Load("web").Bundle);
        _store.Save(Sample("web") with { Bundle = "/new" });
        Assert.Equal("/new", _store.Load("web").Bundle);
        Assert.Equal(["web"], _store.Ids());
    }

    [Fact]
    public void ALeftoverTempFileAloneIsStillNotFound()
    {
        _store.Reserve("web");
        File.WriteAllText(Path.Combine(_store.Dir("web"), StateStore.StateFile + ".tmp-99999"), "{}");
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<BerthException>(() => _store.Load("web")).Kind);
    }

    [Fact]
    public void ACorruptRecordIsAnErrorNamingTheContainer()
    {
        _store.Reserve("web");
        File.WriteAllText(Path.Combine(_store.Dir("web"), StateStore.StateFile), "{\"id\":\"web\",\"initPid\":\"x\"}");
        var e = Assert.Throws<BerthException>(() => _store.Load("web"));
        Assert.StartsWith("read state of `web`: ", e.Message);
        Assert.NotEqual(ErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public void RemoveIsIdempotent()
    {
        _store.Reserve("web");
        _store.Save(Sample("web"));
        _store.Remove("web");
        Assert.False(_store.Exists("web"));
        _store.Remove("web");
        _store.Remove("never-was");
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<BerthException>(() => _store.Load("web")).Kind);
        _store.Reserve("web");
    }

    [Fact]
    public void RemoveOfAnInvalidIdDeletesNothingOutsideTheRoot()
    {
        // The parent of the root is this test's own temp directory: the worst case stays inside it.
        var witness = _root["witness"];
        File.WriteAllText(witness, "");
        _store.Reserve("web");
        // Refusing (InvalidArgument) or doing nothing are both fine; deleting the parent is not.
        var e = Record.Exception(() => _store.Remove(".."));
        Assert.True(e is null or BerthException { Kind: ErrorKind.InvalidArgument }, e?.ToString());
        Assert.True(File.Exists(witness));
        Assert.True(_store.Exists("web"));
    }

    [Fact]
    public void RemoveTakesTheWholeDirectory()
    {
        var dir = _store.Reserve("web");
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        File.WriteAllText(Path.Combine(dir, "sub", "f"), "x");
        _store.Remove("web");
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void IdsListsDirectoriesInOrdinalOrder()
    {
        Assert.Empty(_store.Ids());
        foreach (var id in new[] { "b", "a", "C", "a-1" })
            _store.Reserve(id);
        File.WriteAllText(Path.Combine(_store.Root, "stray-file"), "");
        Assert.Equal(["C", "a", "a-1", "b"], _store.Ids());
    }

    [Fact]
    public async Task LockIsExclusiveUntilDisposed()
    {
        _store.Reserve("web");
        var first = _store.Lock("web");
        var second = Task.Run(() => _store.Lock("web"));
        await Task.Delay(50);
        Assert.False(second.IsCompleted);
        first.Dispose();
        using var acquired = await second.WaitAsync(TimeSpan.FromSeconds(5));
        first.Dispose();
    }

    [Fact]
    public void LockOfAMissingContainerNamesIt()
    {
        var e = Assert.Throws<BerthException>(() => _store.Lock("nope"));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Contains("nope", e.Message);
    }

    private static ContainerState Sample(string id) => new()
    {
        Id = id,
        Bundle = "/bundles/" + id,
        Rootfs = "/bundles/" + id + "/rootfs",
        InitPid = 4242,
        InitStartTime = 123456789,
        Created = new DateTime(2024, 5, 6, 7, 8, 9, 123, DateTimeKind.Utc),
        Owner = "root",
        Cgroup = new Berth.Cgroups.CgroupPaths
        {
            Unified = "/sys/fs/cgroup/unified/berth/" + id,
            Controllers = new Dictionary<string, string> { ["memory"] = "/sys/fs/cgroup/memory/berth/" + id },
        },
    };
}
