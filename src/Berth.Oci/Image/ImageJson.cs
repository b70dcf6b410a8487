using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Errdefs;

namespace Berth.Oci.Image;

/// <summary>
/// Reads image-spec documents from untrusted bytes and writes them back. Each parse refuses
/// input over its size limit, JSON that does not fit the type, and content the spec forbids
/// (a schema version other than 2, a digest that does not parse, a negative size), with
/// InvalidArgument and the JSON path of the offending field:
/// <c>parse manifest: field `$.layers[1].digest`: invalid digest `sha256:zz`</c>.
/// Nothing here does I/O.
/// </summary>
public static class ImageJson
{
    /// <summary>The largest manifest accepted, as distribution and containerd limit it.</summary>
    public const int MaxManifestBytes = 4 << 20;

    public const int MaxIndexBytes = 4 << 20;

    /// <summary>Configs carry history and labels, and can be larger than manifests.</summary>
    public const int MaxConfigBytes = 8 << 20;

    public static Manifest ParseManifest(ReadOnlySpan<byte> json, int maxBytes = MaxManifestBytes)
    {
        const string what = "manifest";
        CheckDeclaredMediaType(json, maxBytes, MediaTypeKind.Manifest, what);
        var manifest = Deserialize(json, maxBytes, ImageJsonContext.Default.Manifest, what);
        CheckSchemaVersion(manifest.SchemaVersion, what);
        if (manifest.MediaType is { } mediaType && !MediaTypes.IsManifest(mediaType))
            throw Invalid(what, "$.mediaType", $"media type `{mediaType}` is not an image {what}");
        CheckDescriptor(manifest.Config, what, "$.config");
        if (manifest.Layers is null)
            throw Invalid(what, "$.layers", "the field is missing");
        for (var i = 0; i < manifest.Layers.Count; i++)
            CheckDescriptor(manifest.Layers[i], what, $"$.layers[{i}]");
        if (manifest.Subject is { } subject)
            CheckDescriptor(subject, what, "$.subject");
        return manifest;
    }

    public static Index ParseIndex(ReadOnlySpan<byte> json, int maxBytes = MaxIndexBytes)
    {
        const string what = "index";
        CheckDeclaredMediaType(json, maxBytes, MediaTypeKind.Index, what);
        var index = Deserialize(json, maxBytes, ImageJsonContext.Default.Index, what);
        CheckSchemaVersion(index.SchemaVersion, what);
        if (index.MediaType is { } mediaType && !MediaTypes.IsIndex(mediaType))
            throw Invalid(what, "$.mediaType", $"media type `{mediaType}` is not an image {what}");
        if (index.Manifests is null)
            throw Invalid(what, "$.manifests", "the field is missing");
        for (var i = 0; i < index.Manifests.Count; i++)
        {
            var path = $"$.manifests[{i}]";
            CheckDescriptor(index.Manifests[i], what, path);
            if (index.Manifests[i].Platform is { } platform)
            {
                if (string.IsNullOrEmpty(platform.Architecture))
                    throw Invalid(what, path + ".platform.architecture", "the field is missing");
                if (string.IsNullOrEmpty(platform.Os))
                    throw Invalid(what, path + ".platform.os", "the field is missing");
            }
        }
        if (index.Subject is { } subject)
            CheckDescriptor(subject, what, "$.subject");
        return index;
    }

    public static ImageConfig ParseConfig(ReadOnlySpan<byte> json, int maxBytes = MaxConfigBytes)
    {
        const string what = "image config";
        var config = Deserialize(json, maxBytes, ImageJsonContext.Default.ImageConfig, what);
        if (config.RootFs is null)
            throw Invalid(what, "$.rootfs", "the field is missing");
        if (config.RootFs.Type != "layers")
            throw Invalid(what, "$.rootfs.type", $"`{config.RootFs.Type}` is not `layers`");
        if (config.RootFs.DiffIds is null)
            throw Invalid(what, "$.rootfs.diff_ids", "the field is missing");
        for (var i = 0; i < config.RootFs.DiffIds.Count; i++)
        {
            if (!Digest.TryParse(config.RootFs.DiffIds[i], out _))
                throw Invalid(what, $"$.rootfs.diff_ids[{i}]", $"invalid digest `{config.RootFs.DiffIds[i]}`");
        }
        return config;
    }

    /// <summary>
    /// Reads a lone descriptor, such as the body of a referrers response entry or a
    /// <c>docker save</c> side file, with the same checks as one inside a manifest.
    /// </summary>
    public static Descriptor ParseDescriptor(ReadOnlySpan<byte> json, int maxBytes = MaxManifestBytes)
    {
        const string what = "descriptor";
        var descriptor = Deserialize(json, maxBytes, ImageJsonContext.Default.Descriptor, what);
        CheckDescriptor(descriptor, what, "$");
        return descriptor;
    }

    public static byte[] Serialize(Manifest manifest) => Serialize(manifest, ImageJsonContext.Default.Manifest);

    public static byte[] Serialize(Index index) => Serialize(index, ImageJsonContext.Default.Index);

    public static byte[] Serialize(ImageConfig config) => Serialize(config, ImageJsonContext.Default.ImageConfig);

    public static byte[] Serialize(Descriptor descriptor) => Serialize(descriptor, ImageJsonContext.Default.Descriptor);

    /// <summary>
    /// The media type a document declares, or, when it declares none (the field is optional in
    /// OCI), what its shape says: <c>manifests</c> makes an index, <c>layers</c> a manifest,
    /// <c>rootfs</c> an image config.
    /// Null when neither; InvalidArgument when it is not a JSON object.
    /// </summary>
    public static string? DetectMediaType(ReadOnlySpan<byte> json)
    {
        TopLevel top;
        try
        {
            top = ScanTopLevel(json) ?? throw BerthException.InvalidArgument("detect media type: the document is not a JSON object");
        }
        catch (JsonException e)
        {
            throw BerthException.Wrap(e, "detect media type");
        }
        if (top.MediaType is not null)
            return top.MediaType;
        return top.HasManifests ? MediaTypes.OciIndex : top.HasLayers ? MediaTypes.OciManifest : top.HasRootFs ? MediaTypes.OciConfig : null;
    }

    private readonly record struct TopLevel(string? MediaType, bool HasManifests, bool HasLayers, bool HasRootFs);

    /// <summary>The top-level fields that tell documents apart; null when it is not an object.</summary>
    private static TopLevel? ScanTopLevel(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return null;
        var top = new TopLevel();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            if (name == "mediaType" && reader.TokenType == JsonTokenType.String)
                top = top with { MediaType = reader.GetString() };
            top = top with
            {
                HasManifests = top.HasManifests || name == "manifests",
                HasLayers = top.HasLayers || name == "layers",
                HasRootFs = top.HasRootFs || name == "rootfs",
            };
            if (!reader.TrySkip())
                throw new JsonException("the document ends early");
        }
        return top;
    }

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Write `+` and `<` as themselves, as Go does for `+`; the default encoder escapes
        // them, which is valid JSON but makes every media type unreadable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static byte[] Serialize<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            JsonSerializer.Serialize(writer, value, typeInfo);
        return buffer.WrittenSpan.ToArray();
    }

    private static T Deserialize<T>(ReadOnlySpan<byte> json, int maxBytes, JsonTypeInfo<T> typeInfo, string what)
        where T : class
    {
        if (json.Length > maxBytes)
            throw BerthException.InvalidArgument($"parse {what}: {json.Length} bytes is larger than the limit of {maxBytes}");
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(json, typeInfo);
        }
        catch (JsonException e)
        {
            throw BerthException.Wrap(e, $"parse {what}");
        }
        return value ?? throw BerthException.InvalidArgument($"parse {what}: the document is null");
    }

    /// <summary>
    /// Refuses a document that declares another kind (an index where a manifest was wanted, the
    /// usual mix-up with registries) by its media type, before missing fields hide the reason.
    /// Malformed JSON is left for the parse to report with its path.
    /// </summary>
    private static void CheckDeclaredMediaType(ReadOnlySpan<byte> json, int maxBytes, MediaTypeKind want, string what)
    {
        if (json.Length > maxBytes)
            return;
        string? declared;
        try
        {
            declared = ScanTopLevel(json)?.MediaType;
        }
        catch (JsonException)
        {
            return;
        }
        if (declared is not null && MediaTypes.Kind(declared) != want)
            throw Invalid(what, "$.mediaType", $"media type `{declared}` is not an image {what}");
    }

    private static void CheckSchemaVersion(int version, string what)
    {
        if (version != 2)
            throw Invalid(what, "$.schemaVersion", $"schema version {version} is not supported (want 2)");
    }

    private static void CheckDescriptor(Descriptor? descriptor, string what, string path)
    {
        if (descriptor is null)
            throw Invalid(what, path, "the field is missing");
        if (string.IsNullOrEmpty(descriptor.MediaType))
            throw Invalid(what, path + ".mediaType", "the field is missing");
        if (!Digest.TryParse(descriptor.Digest, out var digest))
            throw Invalid(what, path + ".digest", $"invalid digest `{descriptor.Digest}`");
        if (descriptor.Size < 0)
            throw Invalid(what, path + ".size", $"size {descriptor.Size} is negative");
        if (descriptor.Data is { } data)
        {
            if (data.Length != descriptor.Size)
                throw Invalid(what, path + ".data", $"{data.Length} bytes of data, but size is {descriptor.Size}");
            var actual = digest.Algorithm == "sha512" ? Digest.FromHash("sha512", SHA512.HashData(data)) : Digest.Of(data);
            if (actual != digest)
                throw Invalid(what, path + ".data", $"data has digest `{actual}`, not `{digest}`");
        }
    }

    private static BerthException Invalid(string what, string path, string cause) =>
        BerthException.InvalidArgument($"parse {what}: field `{path}`: {cause}");
}
