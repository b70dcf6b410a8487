using Berth.Images.Mutate;
using Berth.Oci;

namespace Berth.Engine.Builds;

/// <summary>
/// A filesystem step made ready to run: what its cache key covers (the instruction's text after
/// expansion and the digests of the inputs it reads), its history line, and how to run it on a
/// cache miss (returning the layer it left, or null when it changed nothing). Disposing releases
/// what preparing took (downloads, secrets written to disk).
/// </summary>
internal sealed class PreparedStep(string keyText, IReadOnlyList<Digest> inputs, string createdBy,
    Func<BuildStep, Digest, CancellationToken, Task<NewLayer?>> execute, Func<ValueTask>? release = null) : IAsyncDisposable
{
    public string KeyText { get; } = keyText;

    public IReadOnlyList<Digest> Inputs { get; } = inputs;

    public string CreatedBy { get; } = createdBy;

    /// <summary>Runs the step; the layer is written and cached under <c>key</c> before this returns.</summary>
    public Task<NewLayer?> ExecuteAsync(BuildStep step, Digest key, CancellationToken ct) => execute(step, key, ct);

    public ValueTask DisposeAsync() => release?.Invoke() ?? ValueTask.CompletedTask;
}
