using System.Globalization;
using Berth.Errdefs;

namespace Berth.Engine.Monitor;

/// <summary>
/// Docker's restart policy: <c>no</c>, <c>always</c>, <c>unless-stopped</c> or
/// <c>on-failure[:N]</c>. The monitor applies it after each exit of the container unless the
/// engine asked for the stop (<see cref="MonitorControl.RequestStop"/>).
/// </summary>
/// <param name="Name">no | always | unless-stopped | on-failure.</param>
/// <param name="MaximumRetryCount">For on-failure: the most restarts, 0 for unlimited.</param>
public sealed record RestartPolicy(string Name = RestartPolicy.No, int MaximumRetryCount = 0)
{
    public const string No = "no";
    public const string Always = "always";
    public const string UnlessStopped = "unless-stopped";
    public const string OnFailure = "on-failure";

    /// <summary>Parses docker's `--restart` value, e.g. <c>on-failure:3</c>.</summary>
    public static RestartPolicy Parse(string text)
    {
        var colon = text.IndexOf(':');
        var name = colon < 0 ? text : text[..colon];
        if (name.Length == 0)
            name = No;
        if (name is not (No or Always or UnlessStopped or OnFailure))
            throw BerthException.InvalidArgument($"restart policy `{text}` is unknown");
        if (colon < 0)
            return new RestartPolicy(name);
        if (name != OnFailure)
            throw BerthException.InvalidArgument($"restart policy `{text}`: maximum retry count can only be used with 'on-failure'");
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            throw BerthException.InvalidArgument($"restart policy `{text}`: maximum retry count must be a number");
        return new RestartPolicy(name, count);
    }

    /// <summary>
    /// Whether the container restarts after exiting with <paramref name="exitCode"/>, having
    /// restarted <paramref name="restartCount"/> times, when the engine did not ask it to stop.
    /// </summary>
    public bool ShouldRestart(int exitCode, int restartCount) => Name switch
    {
        Always or UnlessStopped => true,
        OnFailure => exitCode != 0 && (MaximumRetryCount <= 0 || restartCount < MaximumRetryCount),
        _ => false,
    };
}
