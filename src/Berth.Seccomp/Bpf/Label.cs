namespace Berth.Seccomp.Bpf;

/// <summary>A jump target: the instruction it is bound to, once <see cref="BpfAssembler.Bind"/> places it.</summary>
internal sealed class Label
{
    internal Insn? Target { get; set; }
}
