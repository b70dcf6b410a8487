using Berth.Engine.Model;

namespace Berth.Engine.Containers;

/// <summary>A container's record together with its current run state and where it lives on disk.</summary>
public sealed record ContainerView(ContainerRecord Record, ContainerState State, string Dir)
{
    public string Id => Record.Id;

    public string Name => Record.Name;
}
