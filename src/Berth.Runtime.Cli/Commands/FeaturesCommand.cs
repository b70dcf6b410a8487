using System.CommandLine;
using System.Text;
using System.Text.Json;
using Berth.Linux;
using Berth.Oci.Runtime;

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
        json.Append("\"actions\":").Append(List(new[] { "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP" })).Append(',');
        json.Append("\"operators\":").Append(List(new[] { "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE" })).Append(',');
        json.Append("\"archs\":").Append(List(new[] { "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", "SCMP_ARCH_X32", "SCMP_ARCH_X86", "SCMP_ARCH_X86_64" })).Append("},");
        json.Append("\"apparmor\":{\"enabled\":false},\"selinux\":{\"enabled\":false}},");
        json.Append("\"annotations\":{\"org.opencontainers.runc.checkpoint.enabled\":\"false\"}}");
        return json.ToString();
    }
}
