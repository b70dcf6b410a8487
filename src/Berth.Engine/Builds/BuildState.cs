using Berth.Oci;
using Berth.Oci.Image;

namespace Berth.Engine.Builds;

/// <summary>
/// A stage's image as it stands after a step: its layers (the base's and the new ones, in
/// order) and its config (execution defaults, DiffIDs, history). It lives in memory; blobs are
/// written only for layers and for the final image. <see cref="Digest"/> identifies it for the
/// cache: two states with the same layers and config have the same digest.
/// </summary>
public sealed record BuildState(IReadOnlyList<Descriptor> Layers, ImageConfig Config)
{
    public ContainerConfig Exec => Config.Config ?? new ContainerConfig();

    public Digest Digest => Digest.Of(ImageJson.Serialize(Config with { Created = null }));

    public BuildState WithExec(ContainerConfig exec) => this with { Config = Config with { Config = exec } };

    /// <summary>This state with one more history entry, and the layer it describes if any.</summary>
    public BuildState Add(History history, Descriptor? layer, Digest? diffId)
    {
        var history2 = (Config.History ?? []).ToList();
        history2.Add(layer is null ? history with { EmptyLayer = true } : history);
        if (layer is null)
            return this with { Config = Config with { History = history2 } };
        var layers = Layers.Append(layer).ToList();
        var diffIds = Config.RootFs.DiffIds.Append(diffId!.Value.ToString()).ToList();
        return new BuildState(layers, Config with { History = history2, RootFs = Config.RootFs with { DiffIds = diffIds } });
    }

    /// <summary>An empty image (FROM scratch) for the given platform, with docker's default PATH as docker and buildah give it.</summary>
    public static BuildState Scratch(Platform platform) => new([], new ImageConfig
    {
        Architecture = platform.Architecture,
        Os = platform.Os,
        Variant = platform.Variant,
        Config = new ContainerConfig { Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] },
        RootFs = new RootFs { DiffIds = [] },
        History = [],
    });
}
