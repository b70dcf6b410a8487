using System.Text.Json.Serialization;

namespace Berth.Engine.Model;

/// <summary>Source-generated JSON for the engine's records (NativeAOT: no reflection).</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(ContainerRecord))]
[JsonSerializable(typeof(Config))]
[JsonSerializable(typeof(HostConfig))]
public sealed partial class ModelJsonContext : JsonSerializerContext;
