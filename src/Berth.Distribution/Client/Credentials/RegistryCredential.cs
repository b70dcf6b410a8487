namespace Berth.Distribution.Client.Credentials;

/// <summary>A user name and password (or token) for one registry. <see cref="ToString"/> never shows the secret.</summary>
public sealed record RegistryCredential(string Username, string Password)
{
    public override string ToString() => $"credential for `{Username}`";
}
