using System.CommandLine;
using Berth.Build.Parser;
using Berth.Build.Secrets;
using Berth.Cli.Building;
using Berth.Engine.Builds;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>
/// `build [OPTIONS] PATH | -`: docker's build. PATH is the context directory, or `-` for a tar
/// on stdin (its Dockerfile inside it). `-f FILE` is relative to the current directory, `-f -`
/// reads the Dockerfile from stdin. Progress goes to stderr; stdout gets only the image id with
/// `-q`. A Dockerfile syntax error shows the line with a caret under the column. Exit 1 on failure.
/// </summary>
internal static class BuildCommand
{
    public static Command Build(string name = "build")
    {
        var tag = new Option<string[]>("--tag", "-t") { Description = "name and optionally a tag in the 'name:tag' format", DefaultValueFactory = _ => [] };
        var file = new Option<string?>("--file", "-f") { Description = "name of the Dockerfile (default: 'PATH/Dockerfile')" };
        var buildArg = new Option<string[]>("--build-arg") { Description = "set build-time variables", DefaultValueFactory = _ => [] };
        var target = new Option<string?>("--target") { Description = "set the target build stage to build" };
        var noCache = new Option<bool>("--no-cache") { Description = "do not use cache when building the image" };
        var pull = new Option<bool>("--pull") { Description = "always attempt to pull a newer version of the image" };
        var label = new Option<string[]>("--label") { Description = "set metadata for an image", DefaultValueFactory = _ => [] };
        var secret = new Option<string[]>("--secret") { Description = "secret to expose to the build (format: \"id=mysecret[,src=/local/secret]\")", DefaultValueFactory = _ => [] };
        var progress = new Option<string>("--progress") { Description = "set type of progress output (auto, plain, tty, quiet)", DefaultValueFactory = _ => "auto" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "suppress the build output and print image ID on success" };
        var iidfile = new Option<string?>("--iidfile") { Description = "write the image ID to the file" };
        var output = new Option<string[]>("--output", "-o") { Description = "output destination (format: \"type=local,dest=path\")", DefaultValueFactory = _ => [] };
        var network = new Option<string>("--network") { Description = "set the networking mode for the RUN instructions during build", DefaultValueFactory = _ => "default" };
        var context = new Argument<string>("PATH | -");
        var command = new Command(name, "build an image from a Dockerfile");
        foreach (var option in new Option[] { tag, file, buildArg, target, noCache, pull, label, secret, progress, quiet, iidfile, output, network })
            command.Options.Add(option);
        command.Arguments.Add(context);
        command.SetAction(r => Cli.ExecuteAsync(async () =>
        {
            var mode = r.GetValue(quiet) ? "quiet" : r.GetValue(progress)!;
            using var display = BuildProgressFactory.Create(mode);
            using var input = await BuildInput.OpenAsync(r.GetValue(context)!, r.GetValue(file)).ConfigureAwait(false);
            var args = BuildArgs(r.GetValue(buildArg)!);
            var outputs = r.GetValue(output)!.Select(BuildOutput.Parse).ToList();
            var request = new BuildRequest
            {
                ContextDirectory = input.ContextDirectory,
                DockerfileText = input.DockerfileText,
                DockerfilePath = input.DockerfilePath,
                Tags = r.GetValue(tag)!,
                BuildArgs = args,
                Target = r.GetValue(target),
                NoCache = r.GetValue(noCache),
                Labels = KeyValues(r.GetValue(label)!),
                Secrets = Secrets(r.GetValue(secret)!),
                SourceDateEpoch = SourceDateEpoch(args),
                Network = r.GetValue(network)!,
                Pull = r.GetValue(pull),
            };
            var engine = Cli.Engine(r);
            using var cancel = new CancellationTokenSource();
            using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c =>
            {
                c.Cancel = true;
                cancel.Cancel();
            });
            BuildResult result;
            try
            {
                result = await new BuildService(engine).BuildAsync(request, display, cancel.Token).ConfigureAwait(false);
            }
            catch (BerthException e)
            {
                display.Complete();
                Console.Error.WriteLine(DescribeError(e, input.DockerfileText));
                return 1;
            }
            catch (OperationCanceledException)
            {
                display.Complete();
                Console.Error.WriteLine("Error: build canceled");
                return 130;
            }
            foreach (var o in outputs)
                await o.WriteAsync(engine, result, cancel.Token).ConfigureAwait(false);
            display.Message($"writing image {result.ImageId}");
            display.Complete();
            if (r.GetValue(iidfile) is { } path)
                await File.WriteAllTextAsync(path, result.ImageId.ToString()).ConfigureAwait(false);
            if (mode == "quiet")
                Console.Out.WriteLine(result.ImageId.ToString());
            return 0;
        }));
        return command;
    }

    /// <summary>`--build-arg K=V`, or `--build-arg K` for K's value in berth's environment (skipped when unset), as docker.</summary>
    public static Dictionary<string, string> BuildArgs(IEnumerable<string> values)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var eq = value.IndexOf('=', StringComparison.Ordinal);
            if (eq == 0)
                throw BerthException.InvalidArgument($"invalid argument \"{value}\" for \"--build-arg\" flag: invalid key-value pair");
            if (eq > 0)
                args[value[..eq]] = value[(eq + 1)..];
            else if (Environment.GetEnvironmentVariable(value) is { } fromEnv)
                args[value] = fromEnv;
        }
        return args;
    }

    private static SecretStore Secrets(IEnumerable<string> values)
    {
        var store = new SecretStore(BuildSecretParser.Parse(values));
        store.Validate();
        return store;
    }

    private static Dictionary<string, string> KeyValues(IEnumerable<string> values) =>
        values.Select(v => v.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);

    /// <summary>SOURCE_DATE_EPOCH from a build arg, else berth's environment, as BuildKit takes it.</summary>
    public static long? SourceDateEpoch(IReadOnlyDictionary<string, string> args)
    {
        var text = args.TryGetValue("SOURCE_DATE_EPOCH", out var a) ? a : Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        if (string.IsNullOrEmpty(text))
            return null;
        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var epoch)
            ? epoch
            : throw BerthException.InvalidArgument($"invalid SOURCE_DATE_EPOCH: {text}");
    }

    /// <summary>The error as docker's CLI prints it; a Dockerfile error also shows its line and a caret.</summary>
    public static string DescribeError(BerthException e, string dockerfile)
    {
        var text = "Error: " + e.Message;
        if (DockerfileError.PositionOf(e) is not { } at)
            return text;
        var lines = dockerfile.Split('\n');
        if (at.Line < 1 || at.Line > lines.Length)
            return text;
        var number = at.Line.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var line = lines[at.Line - 1].TrimEnd('\r');
        var caret = new string(' ', number.Length + 8 + Math.Max(0, at.Column - 1)) + "^";
        return $"{text}\n {number} | >>> {line}\n{caret}";
    }
}
