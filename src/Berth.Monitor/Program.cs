namespace Berth.Monitor;

internal static class Program
{
    private static int Main(string[] args) => args.Length == 1 ? 0 : 2;
}
