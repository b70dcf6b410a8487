using System.Text.Json.Serialization;
using Berth.Distribution.Client.Auth;
using Berth.Distribution.Client.Credentials;
using Berth.Distribution.Client.Hosts;
using Berth.Distribution.Client.Transfers;

namespace Berth.Distribution.Client;

/// <summary>
/// Source-generated JSON for the client's own documents: token answers, docker's config.json,
/// the registries file and the persisted upload sessions. (The registry's documents are
/// <see cref="DistributionJson"/>'s; the image-spec ones are Berth.Oci's.)
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(AuthFile))]
[JsonSerializable(typeof(RegistriesConfig))]
[JsonSerializable(typeof(UploadSession))]
[JsonSerializable(typeof(BlobSources))]
public sealed partial class ClientJson : JsonSerializerContext;
