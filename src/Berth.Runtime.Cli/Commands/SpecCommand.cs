using System.CommandLine;
using System.Text.Json;
using Berth.Errdefs;
using Berth.Oci.Runtime;
using Berth.Runtime.Lifecycle;

namespace Berth.Runtime.Cli.Commands;

/// <summary>`spec`: write a starting config.json into the bundle.</summary>
internal static class SpecCommand
{
    private static readonly Option<string> Bundle = new("--bundle", "-b") { DefaultValueFactory = _ => "." };
    private static readonly Option<bool> RootlessOption = new("--rootless");

    public static Command Build()
    {
        var command = new Command("spec", "create a new specification file");
        command.Options.Add(Bundle);
        command.Options.Add(RootlessOption);
        command.SetAction(result => Cli.Execute(result, () =>
        {
            if (result.GetValue(RootlessOption))
                throw new BerthException(ErrorKind.NotImplemented, "rootless specs are not supported yet");
            var path = Path.Combine(result.GetValue(Bundle)!, "config.json");
            if (File.Exists(path))
                throw BerthException.AlreadyExists($"file `{path}` exists: remove it first");
            File.WriteAllText(path, JsonSerializer.Serialize(DefaultSpec.Create(), RuntimeJsonContext.Default.Spec) + "\n");
            return 0;
        }));
        return command;
    }
}
