using Berth.Errdefs;
using Berth.Oci.Image;

namespace Berth.Engine.Distribution;

/// <summary>
/// Moves layers a few at a time, as docker does (pull and push alike): those beyond the first
/// <c>parallelism</c> show "Waiting" until a slot frees; the first failure cancels the rest, and
/// it is that failure, not the cancellations it caused, that is thrown.
/// </summary>
internal static class LayerTransfers
{
    public static async Task RunAsync(
        IReadOnlyList<Descriptor> layers,
        int parallelism,
        ITransferProgress progress,
        Func<Descriptor, string, CancellationToken, Task> transfer,
        CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(parallelism);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = layers.Select(async (layer, i) =>
        {
            var id = Images.ImageService.ShortId(layer.Digest);
            if (i >= parallelism)
                progress.Layer(id, "Waiting");
            await gate.WaitAsync(failed.Token).ConfigureAwait(false);
            try
            {
                await transfer(layer, id, failed.Token).ConfigureAwait(false);
            }
            catch
            {
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception) when (tasks.Select(t => t.Exception?.InnerException).FirstOrDefault(e => e is BerthException) is BerthException first)
        {
            throw first;
        }
    }
}
