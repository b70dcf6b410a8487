using System.CommandLine;
using System.CommandLine.Help;
using Berth.Cli.Commands;
using Berth.Engine;
using Berth.Engine.Monitor;
using Berth.Errdefs;

namespace Berth.Cli;

/// <summary>
/// berth's command line, docker's contract: global options, then one verb per file under
/// Commands/. Errors print one line, "Error: …", on stderr; the exit code is docker's: 125 when
/// berth itself failed in run/create/start/exec, 126/127 when the command cannot be run or
/// found, the container's own status otherwise, and 1 for a failed command elsewhere.
/// </summary>
internal static class Cli
{
    public const string Version = "0.1.0";

    public static readonly Option<string?> Root = new("--root")
    {
        Description = "root of berth's state (default /var/lib/berth, or $BERTH_ROOT)",
        Recursive = true,
    };

    public static readonly Option<string?> RunRoot = new("--runroot")
    {
        Description = "root of run state (default /run/berth for the default root, else ROOT/run)",
        Recursive = true,
    };

    public static readonly Option<string?> Runtime = new("--runtime")
    {
        Description = "OCI runtime: berth-runtime (default), runc, crun, or a path (or $BERTH_RUNTIME)",
        Recursive = true,
    };

    public static int Run(string[] args)
    {
        if (args is ["--version"] or ["-v"])
        {
            Console.Out.Write($"berth version {Version}\n");
            return 0;
        }
        var root = Build();
        var prepared = PrepareArgs(root, args, out var unknown, out var verbPath);
        if (unknown is not null)
        {
            // docker's (cobra's) wording and exit code for a flag it does not know.
            Console.Error.WriteLine($"unknown {(unknown.StartsWith("--", StringComparison.Ordinal) ? "flag" : "shorthand flag")}: {unknown}");
            Console.Error.WriteLine($"See 'berth {verbPath} --help'.");
            return 125;
        }
        var result = root.Parse(prepared, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (result.Errors.Count > 0)
        {
            var verb = result.CommandResult.Command;
            Console.Error.WriteLine($"Error: {Lower(result.Errors[0].Message)}");
            Console.Error.WriteLine($"See 'berth {CommandPath(verb)} --help'.");
            return 125;
        }
        return result.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    public static RootCommand Build()
    {
        var root = new RootCommand("berth: build, store, run and share containers (docker's commands, no daemon needed)");
        // -h is --hostname in run and create, as in docker.
        for (var i = root.Options.Count - 1; i >= 0; i--)
        {
            if (root.Options[i] is HelpOption)
                root.Options.RemoveAt(i);
        }
        root.Options.Add(new HelpOption("--help"));
        root.Options.Add(Root);
        root.Options.Add(RunRoot);
        root.Options.Add(Runtime);
        foreach (var command in Verbs.All())
            root.Subcommands.Add(command);
        return root;
    }

    /// <summary>The engine for this command's root, runtime and helper binaries.</summary>
    public static Engine.Engine Engine(ParseResult result)
    {
        var root = result.GetValue(Root) ?? Environment.GetEnvironmentVariable("BERTH_ROOT") ?? EngineOptions.DefaultRoot;
        root = Path.GetFullPath(root);
        var runRoot = result.GetValue(RunRoot) ?? EngineOptions.RunRootFor(root);
        var binDir = Path.GetDirectoryName(Environment.ProcessPath) ?? "/usr/local/bin";
        var runtime = result.GetValue(Runtime) ?? Environment.GetEnvironmentVariable("BERTH_RUNTIME") ?? "berth-runtime";
        return new Engine.Engine(new EngineOptions
        {
            Root = root,
            RunRoot = Path.GetFullPath(runRoot),
            RuntimePath = FindExecutable(runtime, binDir),
            MonitorPath = FindExecutable("berth-monitor", binDir),
            BerthPath = Environment.ProcessPath ?? "berth",
        });
    }

    /// <summary>A bare name is looked up beside berth first, then on PATH.</summary>
    private static string FindExecutable(string name, string binDir)
    {
        if (name.Contains('/'))
            return Path.GetFullPath(name);
        var beside = Path.Combine(binDir, name);
        if (File.Exists(beside))
            return beside;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
                return candidate;
        }
        throw BerthException.NotFound($"executable `{name}` not found beside berth or on PATH");
    }

    /// <summary>
    /// Runs a verb's action: a BerthException becomes "Error: message" and <paramref name="failure"/>
    /// (docker: 125 for run/create/start/exec, 1 elsewhere), or the exit code it carries.
    /// </summary>
    public static int Execute(Func<int> action, int failure = 1)
    {
        try
        {
            return action();
        }
        catch (AggregateException e) when (e.InnerException is BerthException inner)
        {
            return Fail(inner, failure);
        }
        catch (BerthException e)
        {
            return Fail(e, failure);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or FormatException)
        {
            Console.Error.WriteLine($"Error: {e.Message}");
            return failure;
        }
    }

    public static int ExecuteAsync(Func<Task<int>> action, int failure = 1) =>
        Execute(() => action().GetAwaiter().GetResult(), failure);

    private static int Fail(BerthException e, int failure)
    {
        Console.Error.WriteLine($"Error: {e.Message}");
        return e.Data[MonitorLauncher.ExitCodeKey] is int code ? code : failure;
    }

    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Symbol? s = command; s is Command c && s is not RootCommand; s = c.Parents.FirstOrDefault())
            names.Insert(0, c.Name);
        return string.Join(' ', names);
    }

    private static string Lower(string message) =>
        message.Length > 1 && char.IsUpper(message[0]) && !char.IsUpper(message[1]) ? char.ToLowerInvariant(message[0]) + message[1..] : message;

    /// <summary>
    /// Docker stops parsing flags at the first positional argument of run, create and exec:
    /// in `run IMG sh -c x` everything after IMG is the command. Mark that point with "--".
    /// The options that take a value are read from the command's own definition.
    /// </summary>
    public static string[] PrepareArgs(RootCommand root, string[] args, out string? unknown, out string verbPath)
    {
        Command current = root;
        unknown = null;
        verbPath = "";
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            verbPath = CommandPath(current);
            if (a == "--")
                return args;
            if (a.StartsWith('-') && a.Length > 1)
            {
                var name = a.Contains('=') ? a[..a.IndexOf('=')] : a;
                if (Find(current, name) is null && !IsBundle(current, name))
                {
                    unknown = a.StartsWith("--", StringComparison.Ordinal) ? name : $"'{name[1]}' in {name}";
                    return args;
                }
                if (!a.Contains('=') && TakesValue(current, name))
                    i++;
                continue;
            }
            if (current.Subcommands.FirstOrDefault(c => c.Name == a || c.Aliases.Contains(a)) is { } sub)
            {
                current = sub;
                continue;
            }
            if (Verbs.StopsAtFirstArgument(current))
                return i + 1 < args.Length ? [.. args[..(i + 1)], "--", .. args[(i + 1)..]] : args;
            // Any other positional: keep scanning (docker's interspersed flags).
        }
        return args;
    }

    private static bool TakesValue(Command command, string name) =>
        Find(command, name) is { } option && option.Arity.MaximumNumberOfValues > 0 && option.ValueType != typeof(bool);

    /// <summary>The option named <paramref name="name"/> on the command or, if recursive, on a parent.</summary>
    private static Option? Find(Command command, string name)
    {
        for (Symbol? s = command; s is Command c; s = c.Parents.FirstOrDefault())
        {
            foreach (var option in c.Options)
            {
                if ((option.Name == name || option.Aliases.Contains(name)) && (ReferenceEquals(c, command) || option.Recursive))
                    return option;
            }
        }
        return null;
    }

    /// <summary>POSIX bundling: `-it`, `-dit` are single-letter boolean flags written together.</summary>
    private static bool IsBundle(Command command, string name) =>
        name.Length > 2 && name[0] == '-' && name[1] != '-' && name.Skip(1).All(ch => Find(command, "-" + ch) is { } o && o.ValueType == typeof(bool));
}
