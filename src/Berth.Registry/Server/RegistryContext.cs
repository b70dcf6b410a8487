using Berth.Registry.Auth;
using Berth.Registry.Storage;

namespace Berth.Registry.Server;

/// <summary>What every handler works with: the store, the options and the authenticator.</summary>
public sealed class RegistryContext
{
    public RegistryContext(RegistryStore store, RegistryOptions options, IAuthenticator authenticator, TokenService? tokens)
    {
        Store = store;
        Options = options;
        Authenticator = authenticator;
        Tokens = tokens;
    }

    public RegistryStore Store { get; }
    public RegistryOptions Options { get; }
    public IAuthenticator Authenticator { get; }

    /// <summary>The token endpoint, when serving with <c>--auth token</c>.</summary>
    public TokenService? Tokens { get; }
}
