using Berth.Errdefs;

namespace Berth.Build.Copy;

/// <summary>The <c>--chmod</c> flag.</summary>
internal static class ModeOption
{
    /// <summary>
    /// The mode an octal <c>--chmod</c> gives (0 to 07777), null for none. BuildKit also takes
    /// symbolic modes (<c>u+x</c>); those are refused here with a message that says so.
    /// </summary>
    public static uint? Parse(string? chmod)
    {
        if (string.IsNullOrEmpty(chmod))
        {
            return null;
        }
        if (chmod.All(char.IsAsciiDigit))
        {
            if (chmod.Length <= 12 && chmod.All(c => c <= '7') && Convert.ToUInt64(chmod, 8) is var mode && mode <= 0xFFF)
            {
                return (uint)mode;
            }
            throw BerthException.InvalidArgument($"invalid chmod parameter: '{chmod}'. it should be octal string and between 0 and 07777");
        }
        throw BerthException.InvalidArgument($"invalid chmod parameter: '{chmod}'. symbolic modes are not supported, give an octal mode between 0 and 07777");
    }
}
