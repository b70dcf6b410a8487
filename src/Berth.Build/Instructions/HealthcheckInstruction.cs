using Berth.Build.Parser;

namespace Berth.Build.Instructions;

/// <summary>HEALTHCHECK; <see cref="Command"/> is null for HEALTHCHECK NONE. Durations stay as written.</summary>
public sealed record HealthcheckInstruction(SourcePosition Position, CommandLine? Command, string? Interval, string? Timeout, string? StartPeriod, string? StartInterval, int? Retries) : Instruction(Position)
{
    public override string Describe() => Command is null ? "HEALTHCHECK NONE" :
        $"HEALTHCHECK CMD {Command} interval={Quote(Interval)} timeout={Quote(Timeout)} start-period={Quote(StartPeriod)} start-interval={Quote(StartInterval)} retries={(Retries is int r ? r.ToString(System.Globalization.CultureInfo.InvariantCulture) : "null")}";
}
