namespace Berth.IntegrationTests.Build;

/// <summary>
/// A tool that turns a Dockerfile into an image (docker, buildah, berth), each with private
/// state made by its fixture: load the base image, build, and save a docker archive to compare.
/// </summary>
internal interface IImageBuilder
{
    /// <summary>The name shown in diffs: <c>docker</c>, <c>docker-buildkit</c>, <c>buildah</c>, <c>berth</c>.</summary>
    string Name { get; }

    /// <summary>Loads a docker archive (the busybox base image) and returns the image ID the builder gives it.</summary>
    Task<string> LoadAsync(string archive, string name);

    Task BuildAsync(BuildRequest request);

    /// <summary>Writes the image <paramref name="tag"/> as a docker archive.</summary>
    Task SaveAsync(string tag, string archive);
}
