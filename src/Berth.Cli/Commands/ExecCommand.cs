using System.CommandLine;
using Berth.Engine.Containers;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>
/// `exec [-d] [-i] [-t] [-e K=V] [--env-file F] [-u USER] [-w DIR] [--privileged] CONTAINER CMD...`:
/// runs a command in a running container with berth's own stdio and exits with its status;
/// 126/127 when the command cannot be run or found, 1 when berth could not get that far.
/// </summary>
internal static class ExecCommand
{
    public static Command Build()
    {
        var detach = new Option<bool>("--detach", "-d") { Description = "detached mode: run command in the background" };
        var interactive = new Option<bool>("--interactive", "-i") { Description = "keep STDIN open even if not attached" };
        var tty = new Option<bool>("--tty", "-t") { Description = "allocate a pseudo-TTY" };
        var env = new Option<string[]>("--env", "-e") { Description = "set environment variables", DefaultValueFactory = _ => [], AllowMultipleArgumentsPerToken = false };
        var envFile = new Option<string[]>("--env-file") { Description = "read in a file of environment variables", DefaultValueFactory = _ => [], AllowMultipleArgumentsPerToken = false };
        var user = new Option<string?>("--user", "-u") { Description = "username or UID (format: \"<name|uid>[:<group|gid>]\")" };
        var workdir = new Option<string?>("--workdir", "-w") { Description = "working directory inside the container" };
        var privileged = new Option<bool>("--privileged") { Description = "give extended privileges to the command" };
        var detachKeys = new Option<string?>("--detach-keys") { Description = "override the key sequence for detaching a container" };
        var container = new Argument<string>("container");
        var cmd = new Argument<string[]>("command") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("exec", "execute a command in a running container");
        foreach (var option in new Option[] { detach, interactive, tty, env, envFile, user, workdir, privileged, detachKeys })
            command.Options.Add(option);
        command.Arguments.Add(container);
        command.Arguments.Add(cmd);
        command.SetAction(r => Cli.Execute(() =>
        {
            var background = r.GetValue(detach);
            var request = new ExecRequest
            {
                Cmd = r.GetValue(cmd)!,
                Env = EnvList(r.GetValue(env)!, r.GetValue(envFile)!),
                User = r.GetValue(user) ?? "",
                WorkingDir = r.GetValue(workdir) ?? "",
                Tty = r.GetValue(tty) && !background,
                AttachStdin = r.GetValue(interactive) && !background,
                Detach = background,
                Privileged = r.GetValue(privileged),
            };
            if (request.Tty && request.AttachStdin && !Terminal.IsTerminal(0))
                throw BerthException.InvalidArgument("the input device is not a TTY");
            if (request.WorkingDir.Length > 0 && !request.WorkingDir.StartsWith('/'))
                throw BerthException.InvalidArgument($"the working directory '{request.WorkingDir}' is invalid, it needs to be an absolute path");
            var engine = Cli.Engine(r);
            return engine.Containers.Exec(r.GetValue(container)!, request);
        }));
        return command;
    }

    /// <summary>--env-file lines (blank and # lines skipped) then -e; a bare KEY takes berth's own value, or is dropped when unset.</summary>
    public static IReadOnlyList<string> EnvList(IEnumerable<string> env, IEnumerable<string> files)
    {
        var list = new List<string>();
        foreach (var file in files)
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw BerthException.NotFound($"open {file}: no such file or directory");
            }
            foreach (var raw in lines)
            {
                var line = raw.TrimStart();
                if (line.Length > 0 && !line.StartsWith('#'))
                    Add(line);
            }
        }
        foreach (var e in env)
            Add(e);
        return list;

        void Add(string entry)
        {
            var eq = entry.IndexOf('=');
            if (eq == 0)
                throw BerthException.InvalidArgument($"invalid environment variable: {entry}");
            if (eq > 0)
                list.Add(entry);
            else if (Environment.GetEnvironmentVariable(entry) is { } value)
                list.Add(entry + "=" + value);
        }
    }
}
