using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;
using Berth.Cli.Formatting;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>
/// `top CONTAINER [ps OPTIONS]`: the host's `ps` (default `-ef`) narrowed to the container's
/// processes, laid out as docker does (columns at least 20 wide, 3 spaces apart).
/// </summary>
internal static class TopCommand
{
    public static Command Build()
    {
        var container = new Argument<string>("container");
        var psArgs = new Argument<string[]>("ps-options") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("top", "display the running processes of a container");
        command.Arguments.Add(container);
        command.Arguments.Add(psArgs);
        // ps's own options (-o pid,comm) are not berth's: they are taken as they come, in order.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(r => Cli.Execute(() =>
        {
            var engine = Cli.Engine(r);
            var pids = engine.Containers.Pids(r.GetValue(container)!);
            var args = PsArguments(r, r.GetValue(container)!);
            var (titles, rows) = Parse(RunPs(args.Count > 0 ? args : ["-ef"]), pids.ToHashSet());
            Console.Out.Write(Render(titles, rows));
            return 0;
        }));
        return command;
    }

    /// <summary>Everything after the container argument, in the order typed.</summary>
    private static List<string> PsArguments(ParseResult r, string container)
    {
        var tokens = r.Tokens.Select(t => t.Value).ToList();
        var top = tokens.IndexOf("top");
        var at = top < 0 ? -1 : tokens.IndexOf(container, top + 1);
        return at < 0 ? [] : tokens.Skip(at + 1).Where(t => t != "--").ToList();
    }

    /// <summary>
    /// docker's parsePSOutput: titles from the header line (must have PID), each line split on
    /// blanks with the last column taking the rest of the line, kept when its PID is one of
    /// <paramref name="pids"/>.
    /// </summary>
    public static (IReadOnlyList<string> Titles, IReadOnlyList<IReadOnlyList<string>> Rows) Parse(string output, ISet<int> pids)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0)
            throw BerthException.Internal("ps printed nothing");
        var titles = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var pidIndex = Array.IndexOf(titles, "PID");
        if (pidIndex < 0)
            throw BerthException.InvalidArgument("Couldn't find PID field in ps output");
        var rows = new List<IReadOnlyList<string>>();
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length <= pidIndex || !int.TryParse(fields[pidIndex], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                continue;
            if (!pids.Contains(pid))
                continue;
            if (fields.Length > titles.Length)
                fields = [.. fields[..(titles.Length - 1)], string.Join(' ', fields[(titles.Length - 1)..])];
            rows.Add(fields);
        }
        return (titles, rows);
    }

    /// <summary>docker top's table: tabwriter with minimum width 20 and padding 3.</summary>
    public static string Render(IReadOnlyList<string> titles, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var output = new StringWriter();
        var table = new TabWriter(output, 20, 3, ' ');
        table.Write(string.Join('\t', titles) + "\n");
        foreach (var row in rows)
            table.Write(string.Join('\t', row) + "\n");
        table.Flush();
        return output.ToString();
    }

    private static string RunPs(IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo("ps") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var ps = Process.Start(info) ?? throw BerthException.Internal("cannot start ps");
        var stderr = ps.StandardError.ReadToEndAsync();
        var output = ps.StandardOutput.ReadToEnd();
        ps.WaitForExit();
        if (ps.ExitCode != 0)
            throw BerthException.InvalidArgument($"ps: {stderr.Result.Trim()}");
        return output;
    }
}
