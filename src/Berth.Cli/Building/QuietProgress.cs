using Berth.Engine.Builds;

namespace Berth.Cli.Building;

/// <summary><c>--progress=quiet</c> and <c>-q</c>: shows nothing; the verb prints only the image id, and an error as usual.</summary>
public sealed class QuietProgress : IBuildDisplay
{
    public void Started(BuildStep step)
    {
    }

    public void Cached(BuildStep step)
    {
    }

    public void Output(BuildStep step, ReadOnlySpan<byte> data)
    {
    }

    public void Finished(BuildStep step, TimeSpan elapsed)
    {
    }

    public void Failed(BuildStep step, TimeSpan elapsed, string error)
    {
    }

    public void Message(string text)
    {
    }

    public void Complete()
    {
    }

    public void Dispose()
    {
    }
}
