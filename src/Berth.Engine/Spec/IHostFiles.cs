using Berth.Oci.Runtime;

namespace Berth.Engine.Spec;

/// <summary>
/// The few questions the spec builder asks about the host's filesystem: whether a bind source
/// or the init binary exists, the text of a seccomp profile named by path, and what device
/// node a <c>--device</c> path is. The builder never touches the host otherwise, so the plan is
/// a pure function of its input and of these answers.
/// </summary>
public interface IHostFiles
{
    bool Exists(string path);

    /// <summary>The file's text, or null when it does not exist.</summary>
    string? ReadText(string path);

    /// <summary>
    /// The device node at <paramref name="path"/> (Type "c" or "b", major, minor, mode, owner;
    /// Path is the host path), or null when the path is missing or not a device.
    /// </summary>
    LinuxDevice? StatDevice(string path);
}
