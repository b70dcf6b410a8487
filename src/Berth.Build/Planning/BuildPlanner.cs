using System.Globalization;
using System.Runtime.InteropServices;
using Berth.Build.Expansion;
using Berth.Build.Instructions;
using Berth.Build.Parser;
using Berth.Errdefs;

namespace Berth.Build.Planning;

/// <summary>
/// A parsed Dockerfile and the build's options → a <see cref="BuildPlan"/>, following docker:
/// ARGs before the first FROM serve only FROM lines unless a stage redeclares them; --build-arg
/// overrides defaults; HTTP_PROXY and friends need no ARG; TARGETPLATFORM, BUILDPLATFORM and their
/// parts come from the options (in FROM always, in a stage once declared); ENV shadows ARG; stage
/// names are case-insensitive; --target picks the last stage built and the stages it does not
/// need are skipped (their errors too); unconsumed build args give docker's warning.
/// </summary>
public static class BuildPlanner
{
    private static readonly HashSet<string> ProxyArgs = new(StringComparer.Ordinal)
    {
        "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
        "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    };

    public static BuildPlan Plan(ParsedDockerfile file, BuildOptions options)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(options);
        var escape = file.Directives.Escape;
        var instructions = InstructionParser.Parse(file);
        var texts = file.Nodes.Select(Text).ToList();
        var buildArgs = options.BuildArgs;
        var platformArgs = PlatformArgs(options);
        var targetPlatform = platformArgs["TARGETPLATFORM"];

        // The global ARGs, before the first FROM.
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        var metaDeclared = new HashSet<string>(StringComparer.Ordinal);
        string? MetaLookup(string name) => meta.TryGetValue(name, out var v) ? v : platformArgs.GetValueOrDefault(name);
        var k = 0;
        for (; k < instructions.Count && instructions[k] is not FromInstruction; k++)
        {
            if (instructions[k] is not ArgInstruction arg)
            {
                throw DockerfileError.At(instructions[k].Position, "no build stage in current context");
            }
            foreach (var kv in arg.Args)
            {
                metaDeclared.Add(kv.Key);
                if (buildArgs.TryGetValue(kv.Key, out var given))
                {
                    meta[kv.Key] = given;
                }
                else if (kv.Value is not null)
                {
                    meta[kv.Key] = WordExpander.Expand(kv.Value, MetaLookup, escape);
                }
            }
        }
        if (k == instructions.Count)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "dockerfile contains no stages to build");
        }

        // Split into stages, checking names.
        var raw = new List<(FromInstruction From, List<(Instruction Instruction, string Text)> Body, string? Name)>();
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (; k < instructions.Count; k++)
        {
            if (instructions[k] is FromInstruction from)
            {
                string? name = null;
                if (from.StageName is not null)
                {
                    name = from.StageName.ToLowerInvariant();
                    if (!ValidStageName(name))
                    {
                        throw DockerfileError.At(from.Position, $"invalid name for build stage: \"{from.StageName}\", name can't start with a number or contain symbols");
                    }
                    if (!byName.TryAdd(name, raw.Count))
                    {
                        throw DockerfileError.At(from.Position, $"duplicate stage name \"{name}\"");
                    }
                }
                raw.Add((from, [], name));
            }
            else
            {
                raw[^1].Body.Add((instructions[k], texts[k]));
            }
        }

        // Target.
        var target = raw.Count - 1;
        if (!string.IsNullOrEmpty(options.Target))
        {
            if (!byName.TryGetValue(options.Target.ToLowerInvariant(), out target))
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"target stage \"{options.Target}\" could not be found");
            }
        }

        // Plan every stage; a stage's error counts only if the target needs it.
        var states = new List<StageState>();
        for (var i = 0; i < raw.Count; i++)
        {
            var state = new StageState(i, raw[i].Name, raw[i].From.Position);
            states.Add(state);
            try
            {
                PlanStage(state, raw[i].From, raw[i].Body, states, byName, meta, metaDeclared, MetaLookup, platformArgs, targetPlatform, buildArgs, escape, options.BaseImage);
            }
            catch (BerthException e)
            {
                state.Error = e;
            }
        }

        // The stages the target needs.
        var needed = new bool[states.Count];
        var pending = new Stack<int>();
        pending.Push(target);
        while (pending.Count > 0)
        {
            var s = pending.Pop();
            if (needed[s])
            {
                continue;
            }
            needed[s] = true;
            if (states[s].Error is { } error)
            {
                throw error;
            }
            foreach (var d in states[s].DependsOn)
            {
                pending.Push(d);
            }
        }

        // Waves: a stage runs one wave after the latest of its dependencies (all earlier stages).
        var level = new int[states.Count];
        var waves = new List<List<int>>();
        for (var i = 0; i < states.Count; i++)
        {
            if (!needed[i])
            {
                continue;
            }
            level[i] = states[i].DependsOn.Count == 0 ? 0 : states[i].DependsOn.Max(d => level[d]) + 1;
            while (waves.Count <= level[i])
            {
                waves.Add([]);
            }
            waves[level[i]].Add(i);
        }
        var order = waves.SelectMany(w => w).ToList();

        // Unconsumed build args.
        var consumed = new HashSet<string>(metaDeclared, StringComparer.Ordinal);
        for (var i = 0; i < states.Count; i++)
        {
            if (needed[i])
            {
                consumed.UnionWith(states[i].Declared);
            }
        }
        var unused = buildArgs.Keys.Where(a => !consumed.Contains(a) && !ProxyArgs.Contains(a) && !platformArgs.ContainsKey(a)).Order(StringComparer.Ordinal).ToList();
        var warnings = new List<string>();
        if (unused.Count > 0)
        {
            warnings.Add($"[Warning] One or more build-args [{string.Join(" ", unused)}] were not consumed");
        }

        var stages = states.Select(s => new PlannedStage(
            s.Index, s.Name, s.Position, s.Base ?? new StageBase(StageBaseKind.Image, "", null), s.Platform ?? targetPlatform,
            s.Steps, s.DependsOn.Order().ToList(), s.Images, s.Env, !needed[s.Index])).ToList();
        return new BuildPlan(stages, target, order, waves.Select(w => (IReadOnlyList<int>)w).ToList(), meta, warnings);
    }

    private sealed class StageState(int index, string? name, SourcePosition position)
    {
        public int Index { get; } = index;
        public string? Name { get; } = name;
        public SourcePosition Position { get; } = position;
        public StageBase? Base { get; set; }
        public string? Platform { get; set; }
        public List<PlannedStep> Steps { get; } = [];
        public HashSet<int> DependsOn { get; } = [];
        public List<string> Images { get; } = [];
        public Dictionary<string, string> Env { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Declared { get; } = new(StringComparer.Ordinal);
        public BerthException? Error { get; set; }
    }

    private static void PlanStage(
        StageState state, FromInstruction from, List<(Instruction Instruction, string Text)> body, List<StageState> states, Dictionary<string, int> byName,
        Dictionary<string, string> meta, HashSet<string> metaDeclared, Func<string, string?> metaLookup,
        Dictionary<string, string> platformArgs, string targetPlatform, IReadOnlyDictionary<string, string> buildArgs, char escape,
        Func<string, BaseImageFacts?>? baseImage)
    {
        var triggers = new List<(Instruction Instruction, string Text)>();
        var i = state.Index;
        var image = WordExpander.Expand(from.Image, metaLookup, escape);
        state.Platform = from.Platform is null ? targetPlatform : WordExpander.Expand(from.Platform, metaLookup, escape);
        if (byName.TryGetValue(image.ToLowerInvariant(), out var baseIndex) && baseIndex < i)
        {
            state.Base = new StageBase(StageBaseKind.Stage, states[baseIndex].Name!, baseIndex);
            state.DependsOn.Add(baseIndex);
            foreach (var (key, value) in states[baseIndex].Env)
            {
                state.Env[key] = value;
            }
        }
        else if (image.Equals("scratch", StringComparison.OrdinalIgnoreCase))
        {
            state.Base = new StageBase(StageBaseKind.Scratch, "scratch", null);
        }
        else if (image.Length == 0)
        {
            throw DockerfileError.At(from.Position, "base name (" + from.Image + ") should not be blank");
        }
        else
        {
            state.Base = new StageBase(StageBaseKind.Image, image, null);
            if (baseImage?.Invoke(image) is { } facts)
            {
                foreach (var e in facts.Env)
                {
                    var eq = e.IndexOf('=', StringComparison.Ordinal);
                    if (eq > 0)
                    {
                        state.Env[e[..eq]] = e[(eq + 1)..];
                    }
                }
                foreach (var trigger in facts.OnBuild)
                {
                    triggers.AddRange(ParseTrigger(trigger, from.Position));
                }
            }
        }

        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        var env = state.Env;
        string? Lookup(string name) => env.TryGetValue(name, out var v) ? v : args.GetValueOrDefault(name);
        string X(string word) => WordExpander.Expand(word, Lookup, escape);
        string? XN(string? word) => word is null ? null : X(word);
        List<string> XL(IReadOnlyList<string> words) => words.Select(X).ToList();

        foreach (var (instruction, text, isTrigger) in triggers.Select(t => (t.Instruction, t.Text, true)).Concat(body.Select(b => (b.Instruction, b.Text, false))))
        {
            Instruction planned;
            switch (instruction)
            {
                case ArgInstruction arg:
                {
                    var resolved = new List<KeyValue>();
                    var values = new List<(string, string?)>();
                    foreach (var kv in arg.Args)
                    {
                        string? value;
                        if (buildArgs.TryGetValue(kv.Key, out var given))
                        {
                            value = given;
                        }
                        else if (kv.Value is not null)
                        {
                            value = X(kv.Value);
                        }
                        else if (metaDeclared.Contains(kv.Key))
                        {
                            value = meta.GetValueOrDefault(kv.Key);
                        }
                        else
                        {
                            value = platformArgs.GetValueOrDefault(kv.Key);
                        }
                        state.Declared.Add(kv.Key);
                        resolved.Add(new KeyValue(kv.Key, value));
                        values.Add((kv.Key, value));
                    }
                    foreach (var (key, value) in values)
                    {
                        if (value is not null)
                        {
                            args[key] = value;
                        }
                    }
                    planned = arg with { Args = resolved };
                    break;
                }
                case EnvInstruction e:
                {
                    var vars = e.Variables.Select(v => new KeyValue(X(v.Key), v.Value is null ? null : X(v.Value))).ToList();
                    foreach (var v in vars)
                    {
                        env[v.Key] = v.Value ?? "";
                    }
                    planned = e with { Variables = vars };
                    break;
                }
                case LabelInstruction l:
                    planned = l with { Labels = l.Labels.Select(v => new KeyValue(X(v.Key), v.Value is null ? null : X(v.Value))).ToList() };
                    break;
                case CopyInstruction c:
                {
                    var copy = c with { Sources = XL(c.Sources), Destination = X(c.Destination), From = XN(c.From), Chown = XN(c.Chown), Chmod = XN(c.Chmod), Excludes = XL(c.Excludes) };
                    if (copy.From is not null)
                    {
                        AddSource(state, copy.From, "--from", c.Position, states, byName);
                    }
                    planned = copy;
                    break;
                }
                case AddInstruction a:
                    planned = a with { Sources = XL(a.Sources), Destination = X(a.Destination), Chown = XN(a.Chown), Chmod = XN(a.Chmod), Excludes = XL(a.Excludes), Checksum = XN(a.Checksum) };
                    break;
                case RunInstruction r:
                {
                    var mounts = XL(r.Mounts);
                    foreach (var mount in mounts)
                    {
                        foreach (var field in mount.Split(','))
                        {
                            if (field.StartsWith("from=", StringComparison.Ordinal))
                            {
                                AddSource(state, field[5..], "--mount from", r.Position, states, byName);
                            }
                        }
                    }
                    planned = r with { Mounts = mounts };
                    break;
                }
                case ExposeInstruction x:
                    planned = x with { Ports = x.Ports.SelectMany(p => WordExpander.ExpandWords(p, Lookup, escape)).ToList() };
                    break;
                case VolumeInstruction v:
                    planned = v with { Paths = XL(v.Paths) };
                    break;
                case WorkdirInstruction w:
                    planned = w with { Path = X(w.Path) };
                    break;
                case UserInstruction u:
                    planned = u with { User = X(u.User) };
                    break;
                case StopSignalInstruction s:
                    planned = s with { Signal = X(s.Signal) };
                    break;
                default:
                    planned = instruction;
                    break;
            }
            var scope = new Dictionary<string, string>(args, StringComparer.Ordinal);
            foreach (var proxy in ProxyArgs)
            {
                if (!scope.ContainsKey(proxy) && buildArgs.TryGetValue(proxy, out var pv))
                {
                    scope[proxy] = pv;
                }
            }
            state.Steps.Add(new PlannedStep(planned, scope) { Text = text, Trigger = isTrigger });
        }
    }

    /// <summary>An instruction as written: its name, flags and the rest of its line.</summary>
    private static string Text(Node node) =>
        string.Join(' ', new[] { node.Original }.Concat(node.Flags).Append(node.Rest).Where(w => w.Length > 0));

    /// <summary>An ONBUILD trigger of the base image as instructions (docker refuses FROM, ONBUILD and MAINTAINER there).</summary>
    private static IEnumerable<(Instruction, string)> ParseTrigger(string trigger, SourcePosition from)
    {
        ParsedDockerfile parsed;
        try
        {
            parsed = DockerfileParser.Parse(trigger);
        }
        catch (BerthException e)
        {
            throw DockerfileError.At(from, $"parse ONBUILD trigger \"{trigger}\" of the base image: {e.Message}");
        }
        foreach (var node in parsed.Nodes)
        {
            var instruction = InstructionParser.Parse(node);
            if (instruction is FromInstruction or OnBuildInstruction or MaintainerInstruction)
            {
                throw DockerfileError.At(from, $"{node.Name.ToUpperInvariant()} isn't allowed as an ONBUILD trigger");
            }
            yield return (instruction, Text(node));
        }
    }

    /// <summary>A <c>--from</c> value: a stage name, a stage index, or else an image.</summary>
    private static void AddSource(StageState state, string from, string flag, SourcePosition position, List<StageState> states, Dictionary<string, int> byName)
    {
        int index;
        if (from.Length > 0 && from.All(char.IsAsciiDigit))
        {
            if (!int.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out index))
            {
                throw DockerfileError.At(position, $"invalid stage index {from}");
            }
        }
        else if (!byName.TryGetValue(from.ToLowerInvariant(), out index))
        {
            if (!state.Images.Contains(from))
            {
                state.Images.Add(from);
            }
            return;
        }
        if (index == state.Index)
        {
            throw DockerfileError.At(position, $"circular dependency detected on stage: {state.DisplayName()}");
        }
        if (index > state.Index)
        {
            throw DockerfileError.At(position, $"{flag}={from} refers to stage {index} defined after the current stage {state.DisplayName()}");
        }
        state.DependsOn.Add(index);
    }

    private static string DisplayName(this StageState s) => s.Name ?? s.Index.ToString(CultureInfo.InvariantCulture);

    private static bool ValidStageName(string name) =>
        name.Length > 0 && char.IsAsciiLetterLower(name[0]) &&
        name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.');

    private static Dictionary<string, string> PlatformArgs(BuildOptions options)
    {
        var build = options.BuildPlatform ?? HostPlatform();
        var target = options.Platform ?? build;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (prefix, value) in new[] { ("BUILD", build), ("TARGET", target) })
        {
            var parts = value.Split('/');
            result[prefix + "PLATFORM"] = value;
            result[prefix + "OS"] = parts[0];
            result[prefix + "ARCH"] = parts.Length > 1 ? parts[1] : "";
            result[prefix + "VARIANT"] = parts.Length > 2 ? parts[2] : "";
        }
        return result;
    }

    private static string HostPlatform() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "linux/amd64",
        Architecture.Arm64 => "linux/arm64",
        Architecture.Arm => "linux/arm/v7",
        Architecture.X86 => "linux/386",
        Architecture.S390x => "linux/s390x",
        Architecture.Ppc64le => "linux/ppc64le",
        Architecture.RiscV64 => "linux/riscv64",
        var other => "linux/" + other.ToString().ToLowerInvariant(),
    };
}
