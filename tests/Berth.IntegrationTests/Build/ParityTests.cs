using Xunit.Abstractions;

namespace Berth.IntegrationTests.Build;

/// <summary>
/// Build parity: each fixture Dockerfile built by docker (dockerd 20.10), buildah 1.28 and
/// berth gives the same flattened filesystem (paths, types, modes with setuid/setgid/sticky,
/// owners, sizes, content digests, link targets, hard-link groups; not times) and the same
/// config (Env, Cmd, Entrypoint, WorkingDir, User, ExposedPorts, Volumes, Labels, Healthcheck,
/// StopSignal, OnBuild, Shell, author). docker against buildah proves the harness; berth is
/// then held to both.
/// </summary>
public sealed class ParityTests(ParityFixture fixture, ITestOutputHelper output) : IClassFixture<ParityFixture>
{
    [ParityTheory]
    [MemberData(nameof(ParityCases.Names), MemberType = typeof(ParityCases))]
    public Task DockerAgreesWithBuildah(string name) => CompareAsync(name, ParityFixture.Docker(ParityCases.Get(name)), "buildah");

    [ParityTheory(needsBerth: true)]
    [MemberData(nameof(ParityCases.Names), MemberType = typeof(ParityCases))]
    public Task BerthAgreesWithDocker(string name) => CompareAsync(name, "berth", ParityFixture.Docker(ParityCases.Get(name)));

    [ParityTheory(needsBerth: true)]
    [MemberData(nameof(ParityCases.Names), MemberType = typeof(ParityCases))]
    public Task BerthAgreesWithBuildah(string name) => CompareAsync(name, "berth", "buildah");

    [ParityTheory]
    [InlineData("docker")]
    [InlineData("buildah")]
    public void EveryBuilderStartsFromTheSameBaseImage(string builder)
    {
        // The base image must be byte-identical everywhere, or differences would be the base's.
        var ids = fixture.BaseIds;
        Assert.True(ids.ContainsKey(builder), $"{builder} did not load the base image");
        Assert.All(ids, id => Assert.Equal(ids[builder], id.Value));
    }

    private async Task CompareAsync(string name, string left, string right)
    {
        var parityCase = ParityCases.Get(name);
        var builds = new[] { fixture.SnapshotAsync(left, parityCase), fixture.SnapshotAsync(right, parityCase) };
        var (a, b, notes) = KnownDifferences.Apply(name, await builds[0], await builds[1]);
        foreach (var note in notes)
            output.WriteLine($"known difference: {note}");
        output.WriteLine($"{name}: {a.Files.Count} paths from {left}, {b.Files.Count} from {right}");
        var diff = SnapshotDiff.Compare(a, b);
        Assert.True(diff is null, $"case {name}: {diff}");
    }
}
