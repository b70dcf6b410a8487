namespace Berth.Linux.Files;

/// <summary>
/// Write-to-temp, fsync, rename, fsync the directory: a reader sees the whole old file or the
/// whole new one, and after a crash the new one survives once this returns. A failure deletes
/// the temp file and leaves the old content in place.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> bytes, bool durable = true)
    {
        // Unique per call: two threads of one process may write the same file.
        var temp = $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        if (durable)
            Durable.FsyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    public static void WriteText(string path, string text, bool durable = true) => Write(path, System.Text.Encoding.UTF8.GetBytes(text), durable);
}
