namespace Berth.Build.Instructions;

/// <summary>
/// One <c>RUN --mount=…</c>, parsed by <see cref="RunMountParser"/> with buildkit's defaults
/// already applied, so the executor reads the fields as they are:
/// <list type="bullet">
/// <item><see cref="Target"/> is as written; a relative one is joined to the WORKDIR by the executor.
/// For a secret it defaults to <c>/run/secrets/&lt;id&gt;</c>, unless <see cref="Env"/> is given
/// without a target (then only the variable is set and Target is null). For ssh it defaults to
/// <c>/run/buildkit/ssh_agent.N</c> (N counts the instruction's ssh mounts from 0).</item>
/// <item><see cref="ReadOnly"/>: bind and secret and ssh are read-only unless <c>rw</c>; cache and
/// tmpfs are writable unless <c>ro</c>.</item>
/// <item><see cref="Id"/>: cache defaults to the target as written; secret to <c>id</c>, else
/// <c>source</c>, else the target's base name; ssh to <c>default</c>; null for bind and tmpfs.</item>
/// <item><see cref="Mode"/>, <see cref="Uid"/>, <see cref="Gid"/>: cache 0755/0/0, secret
/// 0400/0/0, ssh 0600/0/0; null for bind and tmpfs (buildkit rejects them there).</item>
/// <item><see cref="Source"/> is a path in the context or in <see cref="From"/> (bind, cache);
/// null means its root.</item>
/// </list>
/// </summary>
public sealed record RunMount(
    RunMountType Type,
    string? Target,
    string? Source,
    string? From,
    bool ReadOnly,
    string? Id,
    RunMountSharing Sharing,
    uint? Mode,
    uint? Uid,
    uint? Gid,
    long? Size,
    bool Required,
    string? Env)
{
    /// <summary>The mount in buildkit's CSV words with every field, for logs and test failures.</summary>
    public override string ToString()
    {
        var parts = new List<string> { "type=" + RunMountParser.TypeName(Type) };
        void Add(string key, object? value)
        {
            if (value is not null)
            {
                parts.Add(key + "=" + value);
            }
        }
        Add("target", Target);
        Add("source", Source);
        Add("from", From);
        parts.Add(ReadOnly ? "ro" : "rw");
        Add("id", Id);
        if (Type == RunMountType.Cache)
        {
            parts.Add("sharing=" + Sharing.ToString().ToLowerInvariant());
        }
        Add("mode", Mode is { } m ? Convert.ToString(m, 8).PadLeft(4, '0') : null);
        Add("uid", Uid);
        Add("gid", Gid);
        Add("size", Size);
        if (Required)
        {
            parts.Add("required");
        }
        Add("env", Env);
        return string.Join(',', parts);
    }
}
