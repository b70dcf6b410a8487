using Berth.Engine.Builds;

namespace Berth.Cli.Building;

/// <summary>
/// A build's progress display on stderr: the executor reports into it as an
/// <see cref="IBuildProgress"/>, and the verb calls <see cref="Complete"/> once the build has
/// ended, successfully or not. Complete draws the final state (the tty's last frame stays on
/// screen) and then, for each failed step, its last lines of output between <c>------</c> rules,
/// as BuildKit does; steps still running then are shown as canceled. Dispose completes too, so
/// <c>using var display = …</c> is enough; calls after Complete are ignored.
/// </summary>
public interface IBuildDisplay : IBuildProgress, IDisposable
{
    void Complete();
}
