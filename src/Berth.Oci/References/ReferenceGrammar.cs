using System.Text.RegularExpressions;

namespace Berth.Oci.References;

/// <summary>
/// The reference grammar of docker's distribution/reference (regexp.go), written out for .NET:
/// <c>\z</c> rather than <c>$</c> (which would let a trailing newline through) and ASCII classes
/// rather than <c>\w</c> (which in .NET takes any Unicode letter, in Go only ASCII).
/// <code>
/// reference    := name [ ":" tag ] [ "@" digest ]
/// name         := [ domain "/" ] path-component [ "/" path-component ]*
/// domain       := host [ ":" port ]         host: DNS-ish labels, either case, or [ipv6]
/// path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
/// tag          := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
/// digest       := algorithm ":" hex{32,}    (then checked by <see cref="Digest"/>)
/// </code>
/// </summary>
internal static partial class ReferenceGrammar
{
    private const string PathComponent = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private const string DomainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private const string Host = "(?:" + DomainComponent + @"(?:\." + DomainComponent + @")*|\[[a-fA-F0-9:]+\])";
    private const string DomainAndPort = Host + "(?::[0-9]+)?";
    private const string RemoteName = PathComponent + "(?:/" + PathComponent + ")*";
    private const string Name = "(?:" + DomainAndPort + "/)?" + RemoteName;
    private const string Tag = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
    private const string DigestPattern = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

    /// <summary>Groups: 1 name, 2 tag, 3 digest.</summary>
    [GeneratedRegex("^(" + Name + ")(?::(" + Tag + "))?(?:@(" + DigestPattern + "))?\\z", RegexOptions.CultureInvariant)]
    public static partial Regex Reference();

    /// <summary>Groups: 1 domain (may be empty), 2 path.</summary>
    [GeneratedRegex("^(?:(" + DomainAndPort + ")/)?(" + RemoteName + ")\\z", RegexOptions.CultureInvariant)]
    public static partial Regex AnchoredName();

    [GeneratedRegex("^" + RemoteName + "\\z", RegexOptions.CultureInvariant)]
    public static partial Regex AnchoredPath();

    [GeneratedRegex("^" + Tag + "\\z", RegexOptions.CultureInvariant)]
    public static partial Regex AnchoredTag();

    /// <summary>A bare image id: 64 lowercase hex digits, which may not be used as a name.</summary>
    [GeneratedRegex("^[a-f0-9]{64}\\z", RegexOptions.CultureInvariant)]
    public static partial Regex Identifier();
}
