namespace Berth.Engine.Spec;

/// <summary>
/// Builds a container process's environment the way docker does, in two steps:
/// <list type="number">
/// <item>at create, the container's Env comes first and each image variable whose key the
/// container does not set is appended (daemon <c>merge</c>);</item>
/// <item>at start, <c>PATH</c> (docker's default), <c>HOSTNAME</c> and, with a TTY,
/// <c>TERM=xterm</c> come first, and each variable of step 1 replaces the one with its key in
/// place or is appended (<c>ReplaceOrAppendEnvValues</c>); an entry without <c>=</c> removes
/// its key.</item>
/// </list>
/// Finally <c>HOME</c> is appended from the user's passwd entry when nothing set it (runc does
/// this inside the container for docker; Berth's runtime does not, so the spec carries it).
/// Keys are compared case-sensitively, as on Linux.
/// </summary>
public static class EnvMerge
{
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>Step 1: the container's Env with the image's variables it does not override.</summary>
    public static IReadOnlyList<string> MergeConfig(IReadOnlyList<string>? container, IReadOnlyList<string>? image)
    {
        if (container is not { Count: > 0 })
            return image ?? [];
        var merged = new List<string>(container);
        foreach (var variable in image ?? [])
        {
            var key = Key(variable);
            if (!container.Any(c => Key(c) == key))
                merged.Add(variable);
        }
        return merged;
    }

    /// <summary>Both steps and HOME: the process's final environment.</summary>
    public static IReadOnlyList<string> Build(
        IReadOnlyList<string>? container, IReadOnlyList<string>? image, string hostname, bool tty, string? home)
    {
        var env = new List<string> { "PATH=" + DefaultPath, "HOSTNAME=" + hostname };
        if (tty)
            env.Add("TERM=xterm");
        foreach (var variable in MergeConfig(container, image))
        {
            var key = Key(variable);
            var at = env.FindIndex(e => Key(e) == key);
            if (!variable.Contains('='))
            {
                if (at >= 0)
                    env.RemoveAt(at);
            }
            else if (at >= 0)
                env[at] = variable;
            else
                env.Add(variable);
        }
        if (home is not null && !env.Exists(e => Key(e) == "HOME"))
            env.Add("HOME=" + home);
        return env;
    }

    private static string Key(string variable)
    {
        var eq = variable.IndexOf('=');
        return eq < 0 ? variable : variable[..eq];
    }
}
