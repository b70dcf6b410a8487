using Berth.Runtime.Cli;
using Berth.Runtime.Init;

// The init must start working before anything else in the process: it runs inside the new
// container and its first act is to read its request from the sync socket.
if (args is ["init", ..])
    return InitProcess.Run();
if (args is ["--version"] or ["-v"] or ["version"])
{
    Console.Out.Write(Cli.VersionText);
    return 0;
}
return Cli.Build().Parse(Cli.PrepareArgs(args)).Invoke();
