using Berth.Engine.Spec;
using Berth.Oci.Runtime;

namespace Berth.Engine.Tests.Spec;

internal sealed class FakeUsers(string? passwd, string? group) : IRootfsUsers
{
    public const string Passwd =
        "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
        + "app:x:1000:1000:App:/home/app:/bin/sh\n# comment\nbroken line\n";

    public const string Group = "root:x:0:\nwheel:x:10:root,app\naudio:x:29:app\napp:x:1000:\nstaff:x:50:\n";

    public static readonly FakeUsers Standard = new(Passwd, Group);

    public string? ReadPasswd() => passwd;

    public string? ReadGroup() => group;
}

internal sealed class FakeHost : IHostFiles
{
    public HashSet<string> Existing { get; } = ["/usr/bin/tini-static", "/srv/data"];
    public Dictionary<string, string> Texts { get; } = [];
    public Dictionary<string, LinuxDevice> Devices { get; } = [];

    public bool Exists(string path) => Existing.Contains(path) || Texts.ContainsKey(path);

    public string? ReadText(string path) => Texts.GetValueOrDefault(path);

    public LinuxDevice? StatDevice(string path) => Devices.GetValueOrDefault(path);
}
