using System.Text.Json.Serialization;

namespace Berth.Engine.Monitor;

/// <summary>Source-generated JSON for the monitor's files (camelCase, enums as strings).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    WriteIndented = false)]
[JsonSerializable(typeof(MonitorConfig))]
[JsonSerializable(typeof(MonitorState))]
[JsonSerializable(typeof(MonitorStartReply))]
public sealed partial class MonitorJsonContext : JsonSerializerContext;
