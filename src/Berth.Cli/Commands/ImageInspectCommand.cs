using System.CommandLine;
using System.Text.Json;
using Berth.Cli.Formatting;
using Berth.Engine.Images;

namespace Berth.Cli.Commands;

/// <summary>`image inspect [-f FORMAT] IMAGE...`: docker's image JSON (ImageInspector), as an array or through a template.</summary>
internal static class ImageInspectCommand
{
    public static Command Build()
    {
        var format = new Option<string?>("--format", "-f") { Description = "format output using a Go template, or 'json'" };
        var images = new Argument<string[]>("image") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("inspect", "display detailed information on one or more images");
        command.Options.Add(format);
        command.Arguments.Add(images);
        command.SetAction(r => Cli.ExecuteAsync(async () =>
        {
            var engine = Cli.Engine(r);
            var found = new List<JsonElement>();
            var failed = false;
            foreach (var text in r.GetValue(images)!)
            {
                var image = await engine.Images.TryResolveAsync(text).ConfigureAwait(false);
                if (image is null)
                {
                    Console.Error.WriteLine($"Error: No such image: {text}");
                    failed = true;
                    continue;
                }
                found.Add(ToJson(image, engine.Layers));
            }
            Write(found, r.GetValue(format));
            return failed ? 1 : 0;
        }));
        return command;
    }

    public static JsonElement ToJson(ImageInfo image, LayerStore? layers)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            ImageInspector.Write(writer, image, layers);
        return JsonRow.Parse(buffer.WrittenSpan);
    }

    /// <summary>docker's inspect output: an indented array, or each item through the template.</summary>
    public static void Write(IReadOnlyList<JsonElement> items, string? format)
    {
        if (string.IsNullOrEmpty(format))
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, ExtraImageVerbs.InspectJson))
            {
                writer.WriteStartArray();
                foreach (var item in items)
                    item.WriteTo(writer);
                writer.WriteEndArray();
            }
            Console.Out.Write(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n");
            return;
        }
        var template = GoTemplate.Parse(format.Trim() == "json" ? "{{json .}}" : format.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\t", "\t", StringComparison.Ordinal));
        foreach (var item in items)
            Console.Out.Write(template.Execute(item) + "\n");
    }
}
