using System.Text.Json;
using Berth.Cli.Formatting;
using Berth.Errdefs;

namespace Berth.Cli.Tests.Formatting;

public sealed class GoTemplateTests
{
    private const string Data = """
        {"ID":"4f66ad9a0b2e","Names":["web","alias"],"Image":"nginx:latest","Size":1234567,"Ratio":1.5,
         "Big":1000000.0,"Running":true,"Empty":"","Null":null,"Html":"<a&b>",
         "Labels":{"b":"2","a":"1","com.x":"y"},
         "Mounts":[{"Source":"/src","Destination":"/dst"},{"Source":"/s2","Destination":"/d2"}],
         "State":{"Status":"running","Pid":42,"Health":{"Status":"healthy"}},
         "RepoDigests":["nginx@sha256:abc"],"Ports":[]}
        """;

    private static string Run(string template, string json = Data, bool strict = true)
    {
        using var doc = JsonDocument.Parse(json);
        return GoTemplate.Parse(template, strict).Execute(doc.RootElement);
    }

    private static BerthException Fails(string template, string json = Data) =>
        Assert.Throws<BerthException>(() => Run(template, json));

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("{{.ID}}", "4f66ad9a0b2e")]
    [InlineData("{{.State.Status}}/{{.State.Pid}}", "running/42")]
    [InlineData("{{.State.Health.Status}}", "healthy")]
    [InlineData("{{.Size}} {{.Ratio}} {{.Big}} {{.Running}}", "1234567 1.5 1e+06 true")]
    [InlineData("{{.Names}}", "[web alias]")]
    [InlineData("{{.Labels}}", "map[a:1 b:2 com.x:y]")]
    [InlineData("{{.Mounts}}", "[map[Destination:/dst Source:/src] map[Destination:/d2 Source:/s2]]")]
    [InlineData("{{.Null}}", "<no value>")]
    [InlineData("{{.Ports}}", "[]")]
    [InlineData("{{json .Names}}", "[\"web\",\"alias\"]")]
    [InlineData("{{json .State}}", "{\"Status\":\"running\",\"Pid\":42,\"Health\":{\"Status\":\"healthy\"}}")]
    [InlineData("{{json .Html}}", "\"<a&b>\"")]
    [InlineData("{{json .Null}}", "null")]
    [InlineData("{{json .Ratio}}", "1.5")]
    [InlineData("{{index .RepoDigests 0}}", "nginx@sha256:abc")]
    [InlineData("{{index .Labels \"com.x\"}}", "y")]
    [InlineData("{{index .Labels \"nope\"}}", "<no value>")]
    [InlineData("{{index .Mounts 1 \"Source\"}}", "/s2")]
    [InlineData("{{join .Names \",\"}}", "web,alias")]
    [InlineData("{{lower \"ABC\"}} {{upper .Image}} {{title \"hello wide-world foo_bar\"}}", "abc NGINX:LATEST Hello Wide-World Foo_bar")]
    [InlineData("{{split \"a,b,c\" \",\"}}", "[a b c]")]
    [InlineData("{{len .Names}} {{len .Labels}} {{len .ID}} {{len \"é\"}}", "2 3 12 2")]
    [InlineData("{{printf \"%s-%d\" .Image .Size}}", "nginx:latest-1234567")]
    [InlineData("{{printf \"%v|%q|%%|%5d|%-4s|\" .Names .ID 42 \"ab\"}}", "[web alias]|\"4f66ad9a0b2e\"|%|   42|ab  |")]
    [InlineData("{{printf \"%d\" .ID}}", "%!d(string=4f66ad9a0b2e)")]
    [InlineData("{{printf \"%s %s\" .ID}}", "4f66ad9a0b2e %!s(MISSING)")]
    [InlineData("{{printf \"%.2f\" .Ratio}}", "1.50")]
    [InlineData("{{truncate .ID 4}}", "4f66")]
    [InlineData("{{pad .ID 1 2}}|", " 4f66ad9a0b2e  |")]
    [InlineData("{{.Image | upper}}", "NGINX:LATEST")]
    [InlineData("{{.Names | len | printf \"%d names\"}}", "2 names")]
    [InlineData("{{if .Running}}up{{else}}down{{end}}", "up")]
    [InlineData("{{if .Empty}}x{{else if .Null}}y{{else}}z{{end}}", "z")]
    [InlineData("{{if .Ports}}p{{end}}|", "|")]
    [InlineData("{{range .Mounts}}{{.Source}} {{end}}", "/src /s2 ")]
    [InlineData("{{range $i, $m := .Mounts}}{{$i}}={{$m.Destination}};{{end}}", "0=/dst;1=/d2;")]
    [InlineData("{{range $k, $v := .Labels}}{{$k}}={{$v}};{{end}}", "a=1;b=2;com.x=y;")]
    [InlineData("{{range .Ports}}x{{else}}none{{end}}", "none")]
    [InlineData("{{range .Names}}{{if eq . \"alias\"}}{{break}}{{end}}{{.}} {{end}}", "web ")]
    [InlineData("{{range .Names}}{{$.ID}} {{end}}", "4f66ad9a0b2e 4f66ad9a0b2e ")]
    [InlineData("{{with .State}}{{.Pid}}{{end}}", "42")]
    [InlineData("{{$x := .Image}}{{$x}}", "nginx:latest")]
    [InlineData("{{eq .State.Status \"running\"}} {{ne .Size 1}} {{lt 1 2}} {{gt \"a\" \"b\"}} {{eq .Size 1 1234567}}", "true true true false true")]
    [InlineData("{{and .Running .Image}} {{or .Empty \"dflt\"}} {{not .Running}}", "nginx:latest dflt false")]
    [InlineData("a  {{- .ID -}}  b", "a4f66ad9a0b2eb")]
    [InlineData("a\n{{- /* comment */ -}}\nb", "ab")]
    [InlineData("{{\"tab\\there\\u00e9\\x41\"}}", "tab\there\u00e9A")]
    [InlineData("{{`raw\\n`}}", "raw\\n")]
    [InlineData("{{(index .Mounts 0).Source}}", "/src")]
    [InlineData("{{print 1 2 \"a\" \"b\"}}", "1 2ab")]
    [InlineData("{{.}}", "7")]
    public void Renders(string template, string expected)
    {
        var json = template == "{{.}}" ? "7" : Data;
        Assert.Equal(expected, Run(template, json));
    }

    [Fact]
    public void MissingFieldIsAnErrorWithGoPosition()
    {
        var e = Fails("{{.Nope}}");
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("template: :1:2: executing \"\" at <.Nope>: can't evaluate field Nope", e.Message);
        Assert.Equal("template: :2:3: executing \"\" at <.State.Nope>: can't evaluate field Nope",
            Fails("x\n {{.State.Nope}}").Message);
    }

    [Fact]
    public void MissingFieldIsNoValueWhenNotStrict()
    {
        Assert.Equal("<no value> <no value>", Run("{{.Nope}} {{.Nope.Deeper}}", strict: false));
    }

    [Theory]
    [InlineData("{{index .Names 5}}", "template: :1:2: executing \"\" at <index .Names 5>: error calling index: index out of range: 5")]
    [InlineData("{{.ID.X}}", "template: :1:2: executing \"\" at <.ID.X>: can't evaluate field X in type string")]
    [InlineData("{{lt true false}}", "template: :1:2: executing \"\" at <lt true false>: error calling lt: invalid type for comparison")]
    [InlineData("{{eq .ID 1}}", "template: :1:2: executing \"\" at <eq .ID 1>: error calling eq: incompatible types for comparison")]
    [InlineData("{{upper .Size}}", "template: :1:2: executing \"\" at <upper .Size>: wrong type for value; expected string; got int")]
    [InlineData("{{join .Names}}", "template: :1:2: executing \"\" at <join .Names>: wrong number of args for join: want 2 got 1")]
    [InlineData("{{range .ID}}{{end}}", "template: :1:8: executing \"\" at <.ID>: range can't iterate over 4f66ad9a0b2e")]
    public void ExecutionErrors(string template, string message) => Assert.Equal(message, Fails(template).Message);

    [Theory]
    [InlineData("{{.ID", "template parsing error: template: :1: unclosed action")]
    [InlineData("{{nope .ID}}", "template parsing error: template: :1: function \"nope\" not defined")]
    [InlineData("{{if .ID}}x", "template parsing error: template: :1: unexpected EOF")]
    [InlineData("{{end}}", "template parsing error: template: :1: unexpected {{end}}")]
    [InlineData("a\n{{$x}}", "template parsing error: template: :2: undefined variable \"$x\"")]
    [InlineData("{{\"abc}}", "template parsing error: template: :1: unterminated quoted string")]
    [InlineData("{{break}}", "template parsing error: template: :1: {{break}} outside {{range}}")]
    [InlineData("{{}}", "template parsing error: template: :1: missing value for command")]
    [InlineData("{{define \"x\"}}{{end}}", "template parsing error: template: :1: {{define}} is not supported")]
    public void ParseErrors(string template, string message)
    {
        var e = Assert.Throws<BerthException>(() => GoTemplate.Parse(template));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void ExecuteToWriter()
    {
        using var doc = JsonDocument.Parse(Data);
        var sw = new StringWriter();
        GoTemplate.Parse("{{.ID}}").Execute(doc.RootElement, sw);
        Assert.Equal("4f66ad9a0b2e", sw.ToString());
    }
}
