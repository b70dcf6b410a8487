using System.Diagnostics;
using Berth.Oci.References;

namespace Berth.Oci.Tests;

/// <summary>
/// The golden reference cases checked against the real peer: the docker CLI parses a reference
/// before it contacts the daemon, so <c>docker pull</c> with no daemon says either "invalid
/// reference format..." or "Cannot connect to the Docker daemon". Berth must accept exactly
/// what docker accepts. Passes vacuously where docker is not installed.
/// </summary>
public sealed class ReferencePeerTests
{
    private static string? FindDocker() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(dir => Path.Combine(dir, "docker"))
            .FirstOrDefault(File.Exists);

    [Fact]
    public async Task Docker_cli_accepts_exactly_what_Berth_accepts()
    {
        var docker = FindDocker();
        if (docker is null)
            return;
        var config = Directory.CreateTempSubdirectory("berth-docker-config-");
        try
        {
            var inputs = ReferenceTests.Valid.Select(row => (string)row[0])
                .Concat(ReferenceTests.Invalid.Select(row => (string)row[0]))
                .Where(input => input.Length > 0 && !input.Contains('\n'))
                .ToList();
            using var limit = new SemaphoreSlim(8);
            var results = await Task.WhenAll(inputs.Select(async input =>
            {
                await limit.WaitAsync();
                try
                {
                    var (accepted, message) = await DockerPullAsync(docker, config.FullName, input);
                    return (input, docker: accepted, message, berth: Reference.TryParse(input, out _));
                }
                finally
                {
                    limit.Release();
                }
            }));
            var disagreements = results.Where(r => r.docker != r.berth)
                .Select(r => $"`{r.input}`: docker {(r.docker ? "accepts" : "refuses")}, berth {(r.berth ? "accepts" : "refuses")}")
                .ToList();
            Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));

            // Where docker's words are the reference grammar's own, Berth says the same.
            foreach (var (input, _, message, _) in results.Where(r => !r.docker))
            {
                if (!message.StartsWith("invalid reference format", StringComparison.Ordinal)
                    && !message.StartsWith("repository name", StringComparison.Ordinal)
                    && !message.StartsWith("invalid repository name", StringComparison.Ordinal))
                    continue;
                var e = Assert.Throws<Berth.Errdefs.BerthException>(() => Reference.Parse(input));
                Assert.EndsWith(message.TrimEnd('.'), e.Message);
            }
        }
        finally
        {
            config.Delete(recursive: true);
        }
    }

    /// <summary>Whether docker accepted the reference, and the first line of what it said.</summary>
    private static async Task<(bool Accepted, string Message)> DockerPullAsync(string docker, string configDir, string reference)
    {
        var start = new ProcessStartInfo(docker)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "pull", "--", reference },
        };
        start.Environment["DOCKER_HOST"] = "unix:///nonexistent/berth-test-docker.sock";
        start.Environment["DOCKER_CONFIG"] = configDir;
        start.Environment.Remove("DOCKER_CONTEXT");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout + await stderr;
        if (output.Contains("Cannot connect to the Docker daemon", StringComparison.Ordinal))
            return (true, "");
        // "invalid reference format...", "unsupported digest algorithm", "repository name must
        // not be more than 255 characters"; but a usage error means the test asked wrongly.
        Assert.False(output.Length == 0 || output.Contains("Usage:", StringComparison.Ordinal),
            $"docker pull `{reference}` did not parse the reference: {output}");
        var line = output.Split('\n').First(l => l.Length > 0 && !l.StartsWith("Using default tag", StringComparison.Ordinal));
        return (false, line.Trim());
    }
}
