using System.Text.Json.Serialization;

namespace Berth.Cgroups;

/// <summary>Source-generated JSON for <see cref="CgroupStats"/> and <see cref="CgroupPaths"/> (no reflection: NativeAOT).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(CgroupStats))]
[JsonSerializable(typeof(CgroupPaths))]
public sealed partial class CgroupStatsJsonContext : JsonSerializerContext;
