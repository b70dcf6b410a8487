using Berth.Oci.Runtime;
using OciLinux = Berth.Oci.Runtime.Linux;
using OciProcess = Berth.Oci.Runtime.Process;

namespace Berth.Runtime.IntegrationTests.Harness;

/// <summary>Fluent tweaks on top of <see cref="DefaultSpec"/>; each returns the builder.</summary>
public sealed class SpecBuilder(Spec spec)
{
    public Spec Spec { get; private set; } = spec;

    public SpecBuilder With(Func<Spec, Spec> change)
    {
        Spec = change(Spec);
        return this;
    }

    public SpecBuilder Process(Func<OciProcess, OciProcess> change) =>
        With(s => s with { Process = change(s.Process ?? new OciProcess()) });

    public SpecBuilder Linux(Func<OciLinux, OciLinux> change) => With(s => s with { Linux = change(s.Linux ?? new OciLinux()) });

    public SpecBuilder Resources(Func<LinuxResources, LinuxResources> change) =>
        Linux(l => l with { Resources = change(l.Resources ?? new LinuxResources()) });

    public SpecBuilder Hooks(Func<Hooks, Hooks> change) => With(s => s with { Hooks = change(s.Hooks ?? new Hooks()) });

    public SpecBuilder Args(params string[] args) => Process(p => p with { Args = args });

    /// <summary>Runs <paramref name="script"/> with busybox <c>sh -c</c>.</summary>
    public SpecBuilder Shell(string script) => Args("sh", "-c", script);

    public SpecBuilder Env(params string[] variables) => Process(p => p with { Env = [.. p.Env ?? [], .. variables] });

    public SpecBuilder Hostname(string? hostname) => With(s => s with { Hostname = hostname });

    public SpecBuilder ReadonlyRootfs(bool value = true) => With(s => s with { Root = s.Root! with { Readonly = value } });

    public SpecBuilder AddMount(Mount mount) => With(s => s with { Mounts = [.. s.Mounts ?? [], mount] });

    public SpecBuilder Terminal(bool value = true) => Process(p => p with { Terminal = value });

    public SpecBuilder User(uint uid, uint gid, params uint[] additionalGids) =>
        Process(p => p with
        {
            User = p.User with { Uid = uid, Gid = gid, AdditionalGids = additionalGids.Length == 0 ? null : additionalGids },
        });

    /// <summary>Adds a namespace, or replaces the one of the same type (to join it by path).</summary>
    public SpecBuilder Namespace(string type, string? path = null) =>
        Linux(l => l with
        {
            Namespaces = [.. (l.Namespaces ?? []).Where(n => n.Type != type), new LinuxNamespace { Type = type, Path = path }],
        });

    public SpecBuilder WithoutNamespace(string type) =>
        Linux(l => l with { Namespaces = [.. (l.Namespaces ?? []).Where(n => n.Type != type)] });
}
