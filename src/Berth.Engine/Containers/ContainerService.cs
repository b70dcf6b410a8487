using Berth.Engine.Images;
using Berth.Engine.Model;
using Berth.Engine.Monitor;
using Berth.Errdefs;

namespace Berth.Engine.Containers;

/// <summary>
/// Container lifecycle, docker's verbs over the on-disk state: create, start, stop, kill,
/// restart, pause, remove, rename, wait. Every change to a container happens under its lock,
/// so two commands racing on one container take turns; a running container belongs to its
/// monitor, and this class only ever talks to it through files, signals and the runtime.
/// </summary>
public sealed partial class ContainerService
{
    private readonly EngineOptions _options;
    private readonly ImageStore _images;
    private readonly LayerStore _layers;

    public ContainerService(EngineOptions options, ImageStore images, LayerStore layers, ContainerStore store)
    {
        _options = options;
        _images = images;
        _layers = layers;
        Store = store;
        Runtime = new RuntimeClient(options.RuntimePath, Path.Combine(options.RunRoot, "runtime"));
        Launcher = new MonitorLauncher(options.MonitorPath);
    }

    public ContainerStore Store { get; }

    public RuntimeClient Runtime { get; }

    public MonitorLauncher Launcher { get; }

    public ContainerView Get(string idOrName)
    {
        var record = Store.Resolve(idOrName);
        var dir = Store.Dir(record.Id);
        return new ContainerView(record, ContainerState.Of(dir, record), dir);
    }

    public IReadOnlyList<ContainerView> List() =>
        Store.List().Select(r => new ContainerView(r, ContainerState.Of(Store.Dir(r.Id), r), Store.Dir(r.Id))).ToList();

    /// <summary>
    /// Creates a container from an image: resolves the image (NotFound "No such image: X"),
    /// unpacks its layers, works out the command (InvalidArgument "no command specified"),
    /// and makes the container's directory with its snapshot. Nothing runs yet.
    /// </summary>
    public async Task<ContainerRecord> CreateAsync(CreateRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Name is { Length: > 0 } wanted)
            ContainerStore.ValidateName(wanted.TrimStart('/'));
        var image = await _images.ResolveAsync(request.Config.Image, cancellationToken).ConfigureAwait(false);
        return await CreateFromAsync(request, image, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates a container from an image already in hand, named or not (a build step's state):
    /// its config blob must be in the store; its layers are unpacked as needed.
    /// </summary>
    public async Task<ContainerRecord> CreateFromAsync(CreateRequest request, ImageInfo image, CancellationToken cancellationToken = default)
    {
        if (request.Name is { Length: > 0 } wanted)
            ContainerStore.ValidateName(wanted.TrimStart('/'));
        var lowers = await _layers.PrepareAsync(image, cancellationToken).ConfigureAwait(false);
        var (path, args) = Spec.CommandLine.Resolve(request.Config, image.Config.Config);
        ValidateHostConfig(request.HostConfig);

        var record = new ContainerRecord
        {
            Id = ContainerStore.NewId(),
            Name = request.Name?.TrimStart('/') ?? "",
            Created = DateTimeOffset.UtcNow,
            Path = path,
            Args = args,
            Config = request.Config with
            {
                StopSignal = request.Config.StopSignal ?? image.Config.Config?.StopSignal,
            },
            HostConfig = request.HostConfig with
            {
                LogConfig = request.HostConfig.LogConfig.Type.Length == 0 ? request.HostConfig.LogConfig with { Type = "json-file" } : request.HostConfig.LogConfig,
                NetworkMode = request.HostConfig.NetworkMode.Length == 0 ? "default" : request.HostConfig.NetworkMode,
            },
            Image = image.Id.ToString(),
            ImageManifest = image.ManifestDescriptor.Digest,
            LayerChain = lowers,
        };
        var imageConfig = await _images.ReadBlobAsync(image.Manifest.Config, cancellationToken).ConfigureAwait(false);
        return Store.Create(record, temp =>
        {
            Snapshot.Prepare(temp);
            File.WriteAllBytes(ImageConfigPath(temp), imageConfig);
        });
    }

    /// <summary>Docker's create-time checks on HostConfig that need no image.</summary>
    private static void ValidateHostConfig(HostConfig host)
    {
        var restart = host.RestartPolicy.Name;
        if (restart is not ("" or "no" or "always" or "unless-stopped" or "on-failure"))
            throw BerthException.InvalidArgument($"invalid restart policy: unknown policy '{restart}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        if (restart != "on-failure" && host.RestartPolicy.MaximumRetryCount != 0)
            throw BerthException.InvalidArgument($"invalid restart policy: maximum retry count can only be used with 'on-failure'");
        if (host.AutoRemove && restart is "always" or "unless-stopped" or "on-failure")
            throw BerthException.InvalidArgument("conflicting options: cannot specify both --restart and --rm");
        if (host.NetworkMode is not ("" or "default" or "bridge" or "none" or "host"))
            throw BerthException.NotFound($"network {host.NetworkMode} not found");
        if (host.Memory is > 0 and < 6 * 1024 * 1024)
            throw BerthException.InvalidArgument("Minimum memory limit allowed is 6MB");
        if (host.NanoCpus < 0)
            throw BerthException.InvalidArgument("Range of CPUs is from 0.01 to the number of CPUs available on the system");
    }

    /// <summary>Renames a container (docker allows it while running).</summary>
    public ContainerRecord Rename(string idOrName, string newName)
    {
        var record = Store.Resolve(idOrName);
        using var held = Store.Lock(record.Id);
        return Store.Rename(record, newName.TrimStart('/'));
    }

    /// <summary>
    /// Removes a container: Conflict for a running one unless <paramref name="force"/> (then it
    /// is killed first). Unmounts its snapshot and deletes its directory, log included.
    /// </summary>
    public async Task RemoveAsync(string idOrName, bool force, CancellationToken cancellationToken = default)
    {
        var record = Store.Resolve(idOrName);
        var dir = Store.Dir(record.Id);
        using (var held = Store.Lock(record.Id))
        {
            var state = ContainerState.Of(dir, record);
            if (state.IsActive && !state.Dead)
            {
                if (!force)
                {
                    var what = state.Paused ? "paused" : state.Restarting ? "restarting" : "running";
                    throw BerthException.Conflict(
                        $"cannot remove container \"/{record.Name}\": container is {what}: stop the container before removing or force remove");
                }
                try
                {
                    await KillAndWaitLockedAsync(record, dir, "SIGKILL", TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
                }
                catch (BerthException e) when (e.Kind == ErrorKind.Unavailable)
                {
                    // The monitor did not record an exit: rm -f must still remove the container.
                    KillByPid(dir);
                }
            }
            else if (state.Dead && MonitorState.TryRead(dir, out var dead) && dead.Pid > 0 && Berth.Linux.ProcFs.TryReadStat(dead.Pid, out _, out _))
            {
                if (!force)
                    throw BerthException.Conflict($"cannot remove container \"/{record.Name}\": its monitor died while the container runs; use --force");
                TryRun(() => Runtime.Kill(record.Id, "SIGKILL"));
            }
            // The monitor deletes the runtime's container after each exit; only a monitor that
            // died leaves one behind.
            if (Directory.Exists(Path.Combine(Runtime.StateRoot, record.Id)))
                TryRun(() => Runtime.Delete(record.Id));
            Snapshot.Unmount(dir);
            Store.Delete(record.Id);
        }
    }

    /// <summary>
    /// Called by a monitor when its container has exited for good (docker's cleanup): releases
    /// the snapshot, and removes the container when it was run with --rm.
    /// </summary>
    public async Task CleanupAsync(string id, CancellationToken cancellationToken = default)
    {
        ContainerRecord record;
        try
        {
            record = Store.Resolve(id);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
            return;
        }
        if (record.HostConfig.AutoRemove)
        {
            try
            {
                await RemoveAsync(record.Id, force: false, cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e) when (e.Kind is ErrorKind.NotFound or ErrorKind.Conflict)
            {
                // Already removed by the command that ran it, or started again meanwhile.
            }
            return;
        }
        var dir = Store.Dir(record.Id);
        using var held = Store.Lock(record.Id);
        if (!ContainerState.Of(dir, record).IsActive)
        {
            if (record.Paused)
                Store.Update(record with { Paused = false });
            Snapshot.Unmount(dir);
        }
    }

    /// <summary>
    /// The last resort of <c>rm -f</c>: SIGKILL to the container's init and to its monitor, by the
    /// pids in the monitor's state (the monitor only while its start time still matches).
    /// </summary>
    private static void KillByPid(string dir)
    {
        if (!MonitorState.TryRead(dir, out var state))
            return;
        if (state.Pid > 0 && Berth.Linux.ProcFs.TryReadStat(state.Pid, out _, out _))
            Berth.Linux.Interop.Libc.kill(state.Pid, Berth.Linux.Signals.SIGKILL);
        if (state.IsMonitorAlive())
            Berth.Linux.Interop.Libc.kill(state.MonitorPid, Berth.Linux.Signals.SIGKILL);
    }

    private static void TryRun(Action action)
    {
        try
        {
            action();
        }
        catch (BerthException)
        {
            // Best effort: the runtime's container may already be gone.
        }
    }
}
