using System.CommandLine;

namespace Berth.Runtime.Cli.Commands;

/// <summary>`delete`: remove a stopped (or, with --force, any) container.</summary>
internal static class DeleteCommand
{
    private static readonly Argument<string[]> Ids = new("container-id") { Arity = ArgumentArity.OneOrMore };
    private static readonly Option<bool> Force = new("--force", "-f") { Description = "kill the container first if it runs" };

    public static Command Build()
    {
        var command = new Command("delete", "delete any resources held by the container");
        command.Arguments.Add(Ids);
        command.Options.Add(Force);
        command.SetAction(result => Cli.Execute(result, () =>
        {
            var runtime = Cli.Runtime(result);
            foreach (var id in result.GetValue(Ids)!)
                runtime.Delete(id, result.GetValue(Force));
            return 0;
        }));
        return command;
    }
}
