namespace Berth.Runtime.IntegrationTests.Harness;

/// <summary>
/// A fact that depends on the runtime under test. <see cref="Requires"/> skips it when the
/// runtime has no such command (crun 1.8 has no <c>events</c> or <c>features</c>).
/// <see cref="DeviatesOn"/> names a peer known to break the assertion (the test keeps the
/// behaviour the spec asks for and is skipped there with <see cref="Because"/> as the
/// finding); berth-runtime is never excused. xunit 2 reads Skip from the attribute instance at
/// discovery, where BERTH_TEST_RUNTIME is already set.
/// </summary>
public sealed class RuntimeFactAttribute : FactAttribute
{
    public string? Requires { get; set; }

    /// <summary>Runtime names (runc, crun; comma-separated) whose known deviation the test documents.</summary>
    public string? DeviatesOn { get; set; }

    public string? Because { get; set; }

    public override string? Skip
    {
        get => base.Skip ?? Reason();
        set => base.Skip = value;
    }

    private string? Reason()
    {
        RuntimeBinary runtime;
        try
        {
            runtime = RuntimeBinary.Instance;
        }
        catch (InvalidOperationException)
        {
            return null; // the tests themselves report the missing runtime
        }
        if (DeviatesOn is not null && DeviatesOn.Split(',').Contains(runtime.Name))
            return $"known {runtime.Name} deviation: {Because}";
        if (Requires is not null && !runtime.Supports(Requires))
            return $"{runtime.Name} has no `{Requires}` command";
        return null;
    }
}
