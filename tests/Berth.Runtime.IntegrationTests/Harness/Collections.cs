namespace Berth.Runtime.IntegrationTests.Harness;

// Tests in one collection run one after another; collections run in parallel (at most
// maxParallelThreads, see xunit.runner.json), which bounds how many runtimes run at once.

[CollectionDefinition(Name)]
public sealed class LifecycleCollection : ICollectionFixture<SuiteFixture>
{
    public const string Name = "lifecycle";
}

[CollectionDefinition(Name)]
public sealed class ProcessCollection : ICollectionFixture<SuiteFixture>
{
    public const string Name = "process";
}

[CollectionDefinition(Name)]
public sealed class FilesystemCollection : ICollectionFixture<SuiteFixture>
{
    public const string Name = "filesystem";
}

[CollectionDefinition(Name)]
public sealed class CgroupCollection : ICollectionFixture<SuiteFixture>
{
    public const string Name = "cgroup";
}
