using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Berth.Cli.Formatting;
using Berth.Engine.Containers;
using Berth.Engine.Images;
using Berth.Errdefs;

namespace Berth.Cli.Commands;

/// <summary>
/// `inspect [-f FORMAT] [--type container|image] [-s] NAME...`: docker's JSON array of the
/// objects found, indented by four spaces, or the template once per object. A name that is no
/// container falls back to images (docker's order); every name not found is reported on stderr
/// after the output, and the exit code is then 1.
/// </summary>
internal static class InspectCommand
{
    public static Command Build(string name = "inspect", string? fixedType = null)
    {
        var format = new Option<string?>("--format", "-f") { Description = "format output using a custom template" };
        var type = new Option<string?>("--type") { Description = "only inspect objects of the given type (container, image)" };
        var size = new Option<bool>("--size", "-s") { Description = "display total file sizes if the type is container" };
        var names = new Argument<string[]>("name") { Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, fixedType is null ? "return low-level information on containers or images" : $"display detailed information on one or more {fixedType}s");
        command.Options.Add(format);
        if (fixedType is null)
            command.Options.Add(type);
        command.Options.Add(size);
        command.Arguments.Add(names);
        command.SetAction(r => Cli.ExecuteAsync(async () =>
        {
            var kind = fixedType ?? r.GetValue(type);
            if (kind is not (null or "" or "container" or "image"))
                throw BerthException.InvalidArgument($"\"{kind}\" is not a valid value for --type");
            var engine = Cli.Engine(r);
            var template = r.GetValue(format) is { Length: > 0 } f ? GoTemplate.Parse(FormatWriter.Unescape(f), strictFields: false) : null;
            var objects = new List<JsonElement>();
            var missing = new List<string>();
            foreach (var n in r.GetValue(names)!)
            {
                var found = await FindAsync(engine, n, kind, r.GetValue(size)).ConfigureAwait(false);
                if (found is { } element)
                    objects.Add(element);
                else
                    missing.Add(kind switch { "container" => $"No such container: {n}", "image" => $"No such image: {n}", _ => $"No such object: {n}" });
            }
            if (template is not null)
            {
                foreach (var o in objects)
                    Console.Out.Write(template.Execute(o) + "\n");
            }
            else
            {
                Console.Out.Write(Indented(objects) + "\n");
            }
            foreach (var m in missing)
                Console.Error.WriteLine($"Error: {m}");
            return missing.Count > 0 ? 1 : 0;
        }));
        return command;
    }

    private static async Task<JsonElement?> FindAsync(Engine.Engine engine, string name, string? kind, bool size)
    {
        if (kind is null or "" or "container")
        {
            try
            {
                var view = engine.Containers.Get(name);
                return Element(w => ContainerInspector.Write(w, view, size ? engine.Layers : null));
            }
            catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
            {
                // Not a container: docker tries images next.
            }
        }
        if (kind is null or "" or "image")
        {
            var image = await engine.Images.TryResolveAsync(name).ConfigureAwait(false);
            if (image is not null)
                return Element(w => ImageInspector.Write(w, image));
        }
        return null;
    }

    private static JsonElement Element(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            write(w);
        return JsonRow.Parse(buffer.WrittenSpan);
    }

    /// <summary>docker's inspect output: a JSON array indented by four spaces.</summary>
    public static string Indented(IEnumerable<JsonElement> objects)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentSize = 4, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartArray();
            foreach (var o in objects)
                o.WriteTo(w);
            w.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
