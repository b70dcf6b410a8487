using Berth.Cgroups.Fs;

namespace Berth.Cgroups;

/// <summary>
/// Parses cgroup v1 blkio tables: "8:0 Read 4096" lines, "8:0 4096" lines in the tables
/// without operations (sectors, time), and a closing "Total N" line, which is skipped.
/// </summary>
internal static class BlkioTable
{
    public static List<BlkioEntry> Parse(string? text, string dir, string file)
    {
        var entries = new List<BlkioEntry>();
        if (text is null)
        {
            return entries;
        }
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || fields[0] == "Total")
            {
                continue;
            }
            var device = fields[0].Split(':');
            if (device.Length != 2)
            {
                continue;
            }
            entries.Add(new BlkioEntry
            {
                Major = CgroupFs.ParseUInt(device[0], dir, file),
                Minor = CgroupFs.ParseUInt(device[1], dir, file),
                Op = fields.Length >= 3 ? fields[1] : null,
                Value = CgroupFs.ParseUInt(fields[^1], dir, file),
            });
        }
        return entries;
    }
}
