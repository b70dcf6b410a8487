namespace Berth.Build.Copy;

/// <summary>Permission bits by name, since C# has no octal literals.</summary>
internal static class Modes
{
    /// <summary>07777: permission bits with setuid, setgid and sticky.</summary>
    public const uint All = 0xFFF;

    /// <summary>0777.</summary>
    public const uint Permissions = 0x1FF;

    /// <summary>0755: directories a copy has to make, docker's default.</summary>
    public const uint Directory = 0x1ED;

    /// <summary>0644: a here-document's file (BuildKit's Mkfile mode).</summary>
    public const uint Heredoc = 0x1A4;

    /// <summary>0600: a downloaded file (BuildKit's http source).</summary>
    public const uint Download = 0x180;

    /// <summary>0700 / 0600: how a node starts, owner-only, until its real mode is set after chown.</summary>
    public const uint PrivateDirectory = 0x1C0;

    public const uint PrivateFile = 0x180;
}
