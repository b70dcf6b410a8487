namespace Berth.Engine.Builds;

/// <summary>
/// One step of a build as the progress display names it: a build-wide number (1, 2, … in the
/// order steps are first seen), the stage's display name, the step's place in its stage
/// (<see cref="Index"/> of <see cref="Count"/>, 1-based; FROM is step 1), and the instruction as
/// docker prints it after expansion (<c>RUN apt-get update</c>, <c>COPY app /app</c>).
/// </summary>
public sealed record BuildStep(int Id, string Stage, int Index, int Count, string Text)
{
    /// <summary>docker's label for the step: <c>[stage 2/5] RUN …</c>, or <c>[2/5] RUN …</c> for an unnamed single stage.</summary>
    public string Label => Stage.Length == 0 ? $"[{Index}/{Count}] {Text}" : $"[{Stage} {Index}/{Count}] {Text}";
}

/// <summary>
/// Where a build reports what it does, for a live display or a plain log. Calls come from the
/// stages' threads (independent stages run side by side), so implementations are thread-safe.
/// For each step, exactly one of <see cref="Cached"/>, <see cref="Finished"/> or
/// <see cref="Failed"/> follows its <see cref="Started"/>; <see cref="Output"/> comes between
/// Started and the end (a RUN's stdout and stderr, interleaved as they arrive).
/// </summary>
public interface IBuildProgress
{
    void Started(BuildStep step);

    /// <summary>The step's result came from the cache; nothing ran.</summary>
    void Cached(BuildStep step);

    void Output(BuildStep step, ReadOnlySpan<byte> data);

    void Finished(BuildStep step, TimeSpan elapsed);

    /// <summary>The step failed with <paramref name="error"/> (one line, e.g. "process \"/bin/sh -c false\" did not complete successfully: exit code: 1").</summary>
    void Failed(BuildStep step, TimeSpan elapsed, string error);

    /// <summary>A line about the build rather than a step: a warning, "naming to docker.io/library/x:latest", the image id.</summary>
    void Message(string text);
}
