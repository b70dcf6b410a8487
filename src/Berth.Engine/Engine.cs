using Berth.Engine.Containers;
using Berth.Engine.Images;

namespace Berth.Engine;

/// <summary>
/// The one place that wires the engine together from its options: the image store, the
/// unpacked layers and the containers, all under one root. The daemonless CLI makes one per
/// command; a daemon would keep one. Both share the state on disk and its locks.
/// </summary>
public sealed class Engine
{
    public Engine(EngineOptions options)
    {
        Options = options;
        Images = new ImageStore(Path.Combine(options.Root, "images"));
        Layers = new LayerStore(Path.Combine(options.Root, "layers"), Images.Content);
        Containers = new ContainerService(options, Images, Layers, new ContainerStore(Path.Combine(options.Root, "containers")));
    }

    public EngineOptions Options { get; }

    public ImageStore Images { get; }

    public LayerStore Layers { get; }

    public ContainerService Containers { get; }
}
