namespace Berth.Engine.Distribution;

/// <summary>
/// What a pull or push reports as it goes, in docker's words (its JSON progress messages):
/// lines about the whole transfer ("latest: Pulling from library/busybox", "Digest: sha256:…"),
/// and per-layer states keyed by the short id (the first 12 hex digits of the blob's digest):
/// "Pulling fs layer", "Waiting", "Downloading" (with bytes done of total), "Verifying Checksum",
/// "Download complete", "Pull complete", "Already exists"; for a push "Preparing", "Waiting",
/// "Pushing", "Pushed", "Layer already exists", "Mounted from REPO". Implementations must be
/// thread-safe: layers move in parallel.
/// </summary>
public interface ITransferProgress
{
    void Status(string line);

    void Layer(string id, string status, long current = 0, long total = 0);
}

