using System.Runtime.CompilerServices;

// berth-monitor runs the other half of the contracts in this folder (state writes, the sync
// reply, the detached spawn); the unit tests reach the same internals.
[assembly: InternalsVisibleTo("berth-monitor")]
[assembly: InternalsVisibleTo("Berth.Engine.Tests")]
