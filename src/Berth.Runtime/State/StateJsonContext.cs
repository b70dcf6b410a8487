using System.Text.Json.Serialization;
using Berth.Runtime.Init;

namespace Berth.Runtime.State;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerState))]
[JsonSerializable(typeof(SyncMessage))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
