using System.Globalization;
using Berth.Build.Parser;

namespace Berth.Build.Instructions;

/// <summary>
/// <see cref="Node"/> → typed <see cref="Instruction"/>, with buildkit's messages for bad
/// instructions, each prefixed <c>dockerfile:LINE:COLUMN: </c> (the instruction's position).
/// </summary>
public static class InstructionParser
{
    public static IReadOnlyList<Instruction> Parse(ParsedDockerfile file) => file.Nodes.Select(Parse).ToList();

    public static Instruction Parse(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var p = node.Position;
        var upper = node.Name.ToUpperInvariant();
        var words = Words.Split(node.Rest, node.Escape);
        switch (node.Name)
        {
            case "from":
            {
                var f = new Flags(node, ["platform"]);
                if ((words.Count != 1 && words.Count != 3) || (words.Count == 3 && !words[1].Equals("as", StringComparison.OrdinalIgnoreCase)))
                {
                    throw DockerfileError.At(p, "FROM requires either one or three arguments");
                }
                return new FromInstruction(p, words[0], words.Count == 3 ? words[2] : null, f.String("platform"));
            }
            case "run":
            {
                var f = new Flags(node, ["network", "security"], lists: ["mount"]);
                return new RunInstruction(p, Command(node, upper), f.List("mount"), f.String("network"), f.String("security"), node.Heredocs);
            }
            case "cmd":
                NoFlags(node);
                return new CmdInstruction(p, Command(node, upper));
            case "entrypoint":
                NoFlags(node);
                return new EntrypointInstruction(p, Command(node, upper));
            case "copy":
            {
                var f = new Flags(node, ["from", "chown", "chmod"], ["link", "parents"], ["exclude"]);
                var (src, dest) = SourcesAndDest(node, words, upper);
                return new CopyInstruction(p, src, dest, f.String("from"), f.String("chown"), f.String("chmod"), f.Bool("link"), f.List("exclude"), f.Bool("parents"), node.Heredocs);
            }
            case "add":
            {
                var f = new Flags(node, ["chown", "chmod", "checksum"], ["link", "keep-git-dir"], ["exclude"]);
                var (src, dest) = SourcesAndDest(node, words, upper);
                return new AddInstruction(p, src, dest, f.String("chown"), f.String("chmod"), f.Bool("link"), f.List("exclude"), f.String("checksum"), f.Bool("keep-git-dir"), node.Heredocs);
            }
            case "env":
                NoFlags(node);
                return new EnvInstruction(p, NameValues(node, words, upper));
            case "label":
                NoFlags(node);
                return new LabelInstruction(p, NameValues(node, words, upper));
            case "arg":
                NoFlags(node);
                if (words.Count == 0)
                {
                    throw DockerfileError.At(p, "ARG requires at least one argument");
                }
                return new ArgInstruction(p, words.Select(w => w.IndexOf('=', StringComparison.Ordinal) is var eq and >= 0 ? new KeyValue(w[..eq], w[(eq + 1)..]) : new KeyValue(w, null)).ToList());
            case "workdir":
                NoFlags(node);
                return new WorkdirInstruction(p, One(node, upper));
            case "user":
                NoFlags(node);
                return new UserInstruction(p, One(node, upper));
            case "stopsignal":
                NoFlags(node);
                return new StopSignalInstruction(p, One(node, upper));
            case "maintainer":
                NoFlags(node);
                return new MaintainerInstruction(p, One(node, upper));
            case "expose":
                NoFlags(node);
                return new ExposeInstruction(p, AtLeastOne(node, words, upper));
            case "volume":
                NoFlags(node);
                return new VolumeInstruction(p, node.Json ?? AtLeastOne(node, words, upper));
            case "shell":
                NoFlags(node);
                if (node.Json is null)
                {
                    throw DockerfileError.At(p, "SHELL requires the arguments to be in JSON form");
                }
                if (node.Json.Count == 0)
                {
                    throw DockerfileError.At(p, "SHELL requires at least one argument");
                }
                return new ShellInstruction(p, node.Json);
            case "healthcheck":
                return Healthcheck(node, words);
            case "onbuild":
                return OnBuild(node);
            default:
                throw DockerfileError.At(p, $"unknown instruction: {node.Original.ToUpperInvariant()}");
        }
    }

    private static void NoFlags(Node node) => _ = new Flags(node, []);

    private static CommandLine Command(Node node, string upper)
    {
        if (node.Json is not null)
        {
            return new CommandLine(node.Json, false);
        }
        if (node.Rest.Length == 0 && node.Name != "cmd" && node.Name != "entrypoint")
        {
            throw DockerfileError.At(node.Position, $"{upper} requires at least one argument");
        }
        return new CommandLine(node.Rest.Length == 0 ? [] : [node.Rest], true);
    }

    private static (IReadOnlyList<string>, string) SourcesAndDest(Node node, List<string> words, string upper)
    {
        var all = node.Json is not null ? node.Json.ToList() : words;
        if (all.Count == 0)
        {
            throw DockerfileError.At(node.Position, $"{upper} requires at least two arguments");
        }
        if (all.Count == 1 && node.Heredocs.Count == 0)
        {
            throw DockerfileError.At(node.Position, $"{upper} requires at least two arguments, but only one was provided. Destination could not be determined.");
        }
        return (all.Take(all.Count - 1).ToList(), all[^1]);
    }

    private static List<KeyValue> NameValues(Node node, List<string> words, string upper)
    {
        if (words.Count == 0)
        {
            throw DockerfileError.At(node.Position, $"{upper} requires at least one argument");
        }
        if (!words[0].Contains('=', StringComparison.Ordinal))
        {
            // The legacy form: NAME value with spaces.
            if (words.Count < 2)
            {
                throw DockerfileError.At(node.Position, $"{upper} must have two arguments");
            }
            var rest = node.Rest[words[0].Length..].Trim(' ', '\t');
            return [new KeyValue(words[0], rest)];
        }
        var result = new List<KeyValue>();
        foreach (var w in words)
        {
            var eq = w.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                throw DockerfileError.At(node.Position, $"Syntax error - can't find = in \"{w}\". Must be of the form: name=value");
            }
            if (eq == 0)
            {
                throw DockerfileError.At(node.Position, $"{upper} names can not be blank");
            }
            result.Add(new KeyValue(w[..eq], w[(eq + 1)..]));
        }
        return result;
    }

    private static string One(Node node, string upper)
    {
        var words = node.Json ?? Words.Split(node.Rest, node.Escape);
        if (node.Name == "maintainer" && node.Rest.Length > 0)
        {
            return node.Rest;
        }
        if (words.Count != 1)
        {
            throw DockerfileError.At(node.Position, $"{upper} requires exactly one argument");
        }
        return node.Name == "workdir" || node.Name == "maintainer" ? node.Rest : words[0];
    }

    private static List<string> AtLeastOne(Node node, List<string> words, string upper) =>
        words.Count > 0 ? words : throw DockerfileError.At(node.Position, $"{upper} requires at least one argument");

    private static HealthcheckInstruction Healthcheck(Node node, List<string> words)
    {
        var p = node.Position;
        if (words.Count == 0)
        {
            throw DockerfileError.At(p, "HEALTHCHECK requires at least one argument");
        }
        var kind = words[0].ToUpperInvariant();
        if (kind == "NONE")
        {
            if (words.Count > 1 || node.Flags.Count > 0)
            {
                throw DockerfileError.At(p, "HEALTHCHECK NONE takes no arguments");
            }
            return new HealthcheckInstruction(p, null, null, null, null, null, null);
        }
        if (kind != "CMD")
        {
            throw DockerfileError.At(p, $"Unknown type \"{words[0]}\" in HEALTHCHECK (try CMD)");
        }
        var f = new Flags(node, ["interval", "timeout", "start-period", "start-interval", "retries"]);
        var rest = node.Rest[words[0].Length..].Trim(' ', '\t');
        if (rest.Length == 0)
        {
            throw DockerfileError.At(p, "Missing command after HEALTHCHECK CMD");
        }
        var json = rest.StartsWith('[') ? JsonFormPublic(rest) : null;
        var command = json is not null ? new CommandLine(json, false) : new CommandLine([rest], true);
        int? retries = null;
        if (f.String("retries") is { } r)
        {
            if (!int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                throw DockerfileError.At(p, $"--retries must be at least 1 (not {r})");
            }
            retries = n;
        }
        return new HealthcheckInstruction(p, command, f.String("interval"), f.String("timeout"), f.String("start-period"), f.String("start-interval"), retries);
    }

    private static IReadOnlyList<string>? JsonFormPublic(string rest) =>
        DockerfileParser.ParseLine("CMD " + rest, default, '\\').Json;

    private static OnBuildInstruction OnBuild(Node node)
    {
        var p = node.Position;
        NoFlags(node);
        if (node.Rest.Length == 0)
        {
            throw DockerfileError.At(p, "ONBUILD requires at least one argument");
        }
        var column = p.Column + node.Original.Length + 1;
        var trigger = DockerfileParser.ParseLine(node.Rest, new SourcePosition(p.Line, column), node.Escape);
        switch (trigger.Name)
        {
            case "onbuild":
                throw DockerfileError.At(p, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
            case "from":
            case "maintainer":
                throw DockerfileError.At(p, $"{trigger.Original.ToUpperInvariant()} isn't allowed as an ONBUILD trigger");
        }
        return new OnBuildInstruction(p, Parse(trigger));
    }
}
