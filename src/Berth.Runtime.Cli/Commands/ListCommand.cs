using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Cli.Commands;

/// <summary>`list`: the containers under --root, as a table, ids only, or JSON.</summary>
internal static class ListCommand
{
    private static readonly Option<string> Format = new("--format", "-f") { DefaultValueFactory = _ => "table" };
    private static readonly Option<bool> Quiet = new("--quiet", "-q");

    public static Command Build()
    {
        var command = new Command("list", "list containers started by berth-runtime with the given root");
        command.Aliases.Add("ls");
        command.Options.Add(Format);
        command.Options.Add(Quiet);
        command.SetAction(result => Cli.Execute(result, () =>
        {
            var states = Cli.Runtime(result).List();
            if (result.GetValue(Quiet))
            {
                foreach (var s in states)
                    Console.Out.WriteLine(s.Id);
                return 0;
            }
            if (result.GetValue(Format) == "json")
            {
                var json = JsonSerializer.Serialize(states.ToList(), RuntimeJsonContext.Default.ListState);
                Console.Out.WriteLine(json.Replace("\n", "", StringComparison.Ordinal).Replace("  ", "", StringComparison.Ordinal));
                return 0;
            }
            var rows = new List<string[]> { new[] { "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER" } };
            rows.AddRange(states.Select(s => new[]
            {
                s.Id, s.Pid.ToString(CultureInfo.InvariantCulture), s.Status, s.Bundle,
                s.Created?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture) ?? "", s.Owner ?? "",
            }));
            Table.Write(Console.Out, rows);
            return 0;
        }));
        return command;
    }
}
