using System.CommandLine;
using System.Text;
using System.Text.Json;
using Berth.Linux;
using Berth.Oci.Runtime;
using Berth.Seccomp;

namespace Berth.Runtime.Cli.Commands;

/// <summary>`features`: what this runtime implements, in the runtime-spec's features.md shape.</summary>
internal static class FeaturesCommand
{
    public static Command Build()
    {
        var command = new Command("features", "show the enabled features");
        command.SetAction(result => Cli.Execute(result, () =>
        {
            Console.Out.WriteLine(Render());
            return 0;
        }));
        return command;
    }

    private static string Render()
    {
        static string List(IEnumerable<string> items) =>
            "[" + string.Join(",", items.Select(i => JsonSerializer.Serialize(i, CliJsonContext.Default.String))) + "]";
        var json = new StringBuilder();
        json.Append("{\"ociVersionMin\":\"1.0.0\",\"ociVersionMax\":\"").Append(SpecVersion.Current).Append("\",");
        json.Append("\"hooks\":").Append(List(["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"])).Append(',');
        json.Append("\"mountOptions\":").Append(List(MountOptions.KnownOptions.Where(o => o is not ("tmpcopyup" or "idmap" or "ridmap")).Order(StringComparer.Ordinal))).Append(',');
        json.Append("\"linux\":{");
        json.Append("\"namespaces\":").Append(List(["cgroup", "ipc", "mount", "network", "pid", "uts"])).Append(',');
        json.Append("\"capabilities\":").Append(List(Capabilities.Names)).Append(',');
        json.Append("\"cgroup\":{\"v1\":true,\"v2\":true,\"systemd\":false,\"systemdUser\":false},");
        json.Append("\"seccomp\":{\"enabled\":true,");
        json.Append("\"actions\":").Append(List(SeccompFeatures.Actions)).Append(',');
        json.Append("\"operators\":").Append(List(SeccompFeatures.Operators)).Append(',');
        json.Append("\"archs\":").Append(List(SeccompFeatures.Architectures)).Append(',');
        json.Append("\"knownFlags\":").Append(List(SeccompFeatures.Flags)).Append(',');
        json.Append("\"supportedFlags\":").Append(List(SeccompFeatures.Flags)).Append("},");
        json.Append("\"apparmor\":{\"enabled\":false},\"selinux\":{\"enabled\":false}},");
        json.Append("\"annotations\":{\"org.opencontainers.runc.checkpoint.enabled\":\"false\"}}");
        return json.ToString();
    }
}
