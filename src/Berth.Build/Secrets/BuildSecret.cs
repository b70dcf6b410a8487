namespace Berth.Build.Secrets;

/// <summary>
/// One <c>--secret</c> given to <c>berth build</c>: its <see cref="Id"/> (what
/// <c>RUN --mount=type=secret,id=…</c> names) and where its bytes come from, exactly one of a
/// <see cref="File"/> on the host or an environment variable <see cref="Env"/> of the berth
/// process. Made by <see cref="BuildSecretParser"/>; read with <see cref="SecretStore"/>.
/// </summary>
public sealed record BuildSecret(string Id, string? File, string? Env)
{
    public override string ToString() => File is not null ? $"id={Id},src={File}" : $"id={Id},env={Env}";
}
