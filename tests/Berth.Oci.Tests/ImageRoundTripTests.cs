using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Oci.Image;

namespace Berth.Oci.Tests;

/// <summary>
/// The image-spec's own example documents (manifest.md, image-index.md, config.md,
/// descriptor.md) and Docker's schema-2 examples, read and written back unchanged.
/// </summary>
public sealed class ImageRoundTripTests
{
    internal const string OciManifest = """
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7",
            "size": 7023
          },
          "layers": [
            {
              "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
              "digest": "sha256:9834876dcfb05cb167a5c24953eba58c4ac89b1adf57f28f2f9d09af107ee8f0",
              "size": 32654
            },
            {
              "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
              "digest": "sha256:3c3a4604a545cdc127456d94e421cd355bca5b528f4a9c1905b15da2eb4a4c6b",
              "size": 16724
            },
            {
              "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
              "digest": "sha256:ec4b8955958665577945c89419d1af06b5f7636b4ac3da7f12184802ad867736",
              "size": 73109
            }
          ],
          "subject": {
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": "sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270",
            "size": 7682
          },
          "annotations": {
            "com.example.key1": "value1",
            "com.example.key2": "value2"
          }
        }
        """;

    internal const string ArtifactManifest = """
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "artifactType": "application/vnd.example+type",
          "config": {
            "mediaType": "application/vnd.oci.empty.v1+json",
            "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
            "size": 2,
            "data": "e30="
          },
          "layers": [
            {
              "mediaType": "application/vnd.oci.empty.v1+json",
              "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
              "size": 2,
              "data": "e30="
            }
          ],
          "annotations": {
            "oci.opencontainers.image.created": "2023-01-02T03:04:05Z",
            "com.example.data": "payload"
          }
        }
        """;

    internal const string OciIndex = """
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.oci.image.index.v1+json",
          "manifests": [
            {
              "mediaType": "application/vnd.oci.image.manifest.v1+json",
              "size": 7143,
              "digest": "sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f",
              "platform": {
                "architecture": "ppc64le",
                "os": "linux"
              }
            },
            {
              "mediaType": "application/vnd.oci.image.manifest.v1+json",
              "size": 7682,
              "digest": "sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270",
              "platform": {
                "architecture": "amd64",
                "os": "linux"
              }
            }
          ],
          "annotations": {
            "com.example.key1": "value1",
            "com.example.key2": "value2"
          }
        }
        """;

    internal const string OciConfig = """
        {
            "created": "2015-10-31T22:22:56.015925234Z",
            "author": "Alyssa P. Hacker <alyspdev@example.com>",
            "architecture": "amd64",
            "os": "linux",
            "config": {
                "User": "alice",
                "ExposedPorts": {
                    "8080/tcp": {}
                },
                "Env": [
                    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "FOO=oci_is_a",
                    "BAR=well_written_spec"
                ],
                "Entrypoint": [
                    "/bin/my-app-binary"
                ],
                "Cmd": [
                    "--foreground",
                    "--config",
                    "/etc/my-app.d/default.cfg"
                ],
                "Volumes": {
                    "/var/job-result-data": {},
                    "/var/log/my-app-logs": {}
                },
                "WorkingDir": "/home/alice",
                "Labels": {
                    "com.example.project.git.url": "https://example.com/project.git",
                    "com.example.project.git.commit": "45a939b2999782a3f005621a8d0f29aa387e1d6b"
                }
            },
            "rootfs": {
              "diff_ids": [
                "sha256:c6f988f4874bb0add23a778f753c65efe992244e148a1d2ec2a8b664fb66bbd1",
                "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"
              ],
              "type": "layers"
            },
            "history": [
              {
                "created": "2015-10-31T22:22:54.690851953Z",
                "created_by": "/bin/sh -c #(nop) ADD file:a3bc1e842b69636f9df5256c49c5374fb4eef1e281fe3f282c65fb853ee171c5 in /"
              },
              {
                "created": "2015-10-31T22:22:55.613815829Z",
                "created_by": "/bin/sh -c #(nop) CMD [\"sh\"]",
                "empty_layer": true
              },
              {
                "created": "2015-10-31T22:22:56.329850019Z",
                "created_by": "/bin/sh -c apk add curl"
              }
            ]
        }
        """;

    internal const string DockerManifest = """
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": 7023,
                "digest": "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"
            },
            "layers": [
                {
                    "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    "size": 32654,
                    "digest": "sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f"
                },
                {
                    "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    "size": 16724,
                    "digest": "sha256:3c3a4604a545cdc127456d94e421cd355bca5b528f4a9c1905b15da2eb4a4c6b"
                },
                {
                    "mediaType": "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
                    "size": 73109,
                    "digest": "sha256:ec4b8955958665577945c89419d1af06b5f7636b4ac3da7f12184802ad867736",
                    "urls": ["https://mcr.microsoft.com/v2/windows/servercore/blobs/sha256:ec4b8955958665577945c89419d1af06b5f7636b4ac3da7f12184802ad867736"]
                }
            ]
        }
        """;

    internal const string DockerManifestList = """
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
          "manifests": [
            {
              "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
              "size": 7143,
              "digest": "sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f",
              "platform": {
                "architecture": "ppc64le",
                "os": "linux"
              }
            },
            {
              "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
              "size": 7682,
              "digest": "sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270",
              "platform": {
                "architecture": "amd64",
                "os": "linux",
                "features": [
                  "sse4"
                ]
              }
            },
            {
              "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
              "size": 1234,
              "digest": "sha256:9834876dcfb05cb167a5c24953eba58c4ac89b1adf57f28f2f9d09af107ee8f0",
              "platform": {
                "architecture": "amd64",
                "os": "windows",
                "os.version": "10.0.14393.1066",
                "os.features": ["win32k"]
              }
            },
            {
              "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
              "size": 1235,
              "digest": "sha256:c6f988f4874bb0add23a778f753c65efe992244e148a1d2ec2a8b664fb66bbd1",
              "platform": {
                "architecture": "arm64",
                "os": "linux",
                "variant": "v8"
              }
            }
          ]
        }
        """;

    /// <summary>A config as docker build writes it, with fields the OCI spec does not name.</summary>
    internal const string DockerConfig = """
        {
          "architecture": "amd64",
          "config": {
            "Hostname": "",
            "Domainname": "",
            "User": "nobody",
            "AttachStdin": false,
            "ExposedPorts": {"80/tcp": {}, "443/tcp": {}, "53/udp": {}},
            "Tty": false,
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            "Cmd": ["nginx", "-g", "daemon off;"],
            "Healthcheck": {"Test": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"], "Interval": 30000000000, "Timeout": 5000000000, "StartPeriod": 1000000000, "StartInterval": 2000000000, "Retries": 3},
            "ArgsEscaped": true,
            "Image": "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef",
            "Volumes": {"/data": {}},
            "WorkingDir": "/srv",
            "Entrypoint": ["/docker-entrypoint.sh"],
            "OnBuild": ["RUN echo child"],
            "Labels": {"maintainer": "NGINX Docker Maintainers <docker-maint@nginx.com>"},
            "StopSignal": "SIGQUIT",
            "Shell": ["/bin/bash", "-c"]
          },
          "container": "3b4c5d",
          "container_config": {"Hostname": "3b4c5d", "Cmd": ["/bin/sh", "-c", "#(nop) ", "CMD [\"nginx\"]"]},
          "created": "2024-02-14T18:20:10.123456789Z",
          "docker_version": "24.0.7",
          "history": [
            {"created": "2024-02-13T00:00:00Z", "created_by": "/bin/sh -c #(nop) ADD file:abc in / "},
            {"created": "2024-02-14T18:20:10Z", "created_by": "CMD [\"nginx\"]", "comment": "buildkit.dockerfile.v0", "empty_layer": true, "author": "me"}
          ],
          "os": "linux",
          "os.version": "10.0.17763.1",
          "os.features": ["win32k"],
          "variant": "v2",
          "rootfs": {"type": "layers", "diff_ids": ["sha256:c6f988f4874bb0add23a778f753c65efe992244e148a1d2ec2a8b664fb66bbd1"]}
        }
        """;

    /// <summary>An OCI image layout's index.json, as skopeo writes it.</summary>
    internal const string LayoutIndex = """
        {"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270","size":7682,"annotations":{"org.opencontainers.image.ref.name":"v1.0"}}]}
        """;

    /// <summary>The descriptor.md example, with URLs.</summary>
    internal const string DescriptorExample = """
        {
          "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "digest": "sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270",
          "size": 7682,
          "urls": [
            "https://example.com/example-manifest"
          ]
        }
        """;

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private static void AssertSameJson(string expected, byte[] actual)
    {
        var want = JsonNode.Parse(expected);
        var got = JsonNode.Parse(actual);
        Assert.True(JsonNode.DeepEquals(want, got), $"expected {want?.ToJsonString()}\nbut got  {got?.ToJsonString()}");
    }

    /// <summary>The document without white space, keys in the order written, `+` unescaped.</summary>
    private static string Minified(string json)
    {
        using var document = JsonDocument.Parse(json);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            document.WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Theory]
    [InlineData(OciManifest)]
    [InlineData(ArtifactManifest)]
    [InlineData(DockerManifest)]
    public void Manifests_round_trip(string json)
    {
        var manifest = ImageJson.ParseManifest(Bytes(json));
        var written = ImageJson.Serialize(manifest);
        AssertSameJson(json, written);
        // Writing what was read is stable: a second trip gives the same bytes.
        Assert.Equal(written, ImageJson.Serialize(ImageJson.ParseManifest(written)));
    }

    [Theory]
    [InlineData(OciManifest)]
    [InlineData(OciConfig)]
    [InlineData(LayoutIndex)]
    public void Documents_in_spec_key_order_are_written_byte_for_byte(string json)
    {
        var written = MediaTypesOf(json) switch
        {
            MediaTypeKind.Index => ImageJson.Serialize(ImageJson.ParseIndex(Bytes(json))),
            MediaTypeKind.Manifest => ImageJson.Serialize(ImageJson.ParseManifest(Bytes(json))),
            MediaTypeKind.Config => ImageJson.Serialize(ImageJson.ParseConfig(Bytes(json))),
            var other => throw new InvalidOperationException(other.ToString()),
        };
        // The config example writes rootfs.diff_ids before rootfs.type; compare that one loosely.
        if (json == OciConfig)
            AssertSameJson(json, written);
        else
            Assert.Equal(Minified(json), Encoding.UTF8.GetString(written));
    }

    private static MediaTypeKind MediaTypesOf(string json) =>
        MediaTypes.Kind(ImageJson.DetectMediaType(Bytes(json)));

    [Fact]
    public void Oci_manifest_fields_are_read()
    {
        var manifest = ImageJson.ParseManifest(Bytes(OciManifest));
        Assert.Equal(2, manifest.SchemaVersion);
        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
        Assert.Equal(7023, manifest.Config.Size);
        Assert.Equal(3, manifest.Layers.Count);
        Assert.Equal(LayerCompression.Gzip, MediaTypes.Compression(manifest.Layers[0].MediaType));
        Assert.Equal("sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270", manifest.Subject!.Digest);
        Assert.Equal("value2", manifest.Annotations!["com.example.key2"]);
        Assert.Null(manifest.ArtifactType);
    }

    [Fact]
    public void Artifact_manifest_keeps_its_embedded_data()
    {
        var manifest = ImageJson.ParseManifest(Bytes(ArtifactManifest));
        Assert.Equal("application/vnd.example+type", manifest.ArtifactType);
        Assert.Equal("{}"u8.ToArray(), manifest.Config.Data);
        Assert.Equal(MediaTypeKind.Empty, MediaTypes.Kind(manifest.Config.MediaType));
    }

    [Theory]
    [InlineData(OciIndex)]
    [InlineData(DockerManifestList)]
    [InlineData(LayoutIndex)]
    public void Indexes_round_trip(string json) =>
        AssertSameJson(json, ImageJson.Serialize(ImageJson.ParseIndex(Bytes(json))));

    [Fact]
    public void Manifest_list_platforms_are_read()
    {
        var index = ImageJson.ParseIndex(Bytes(DockerManifestList));
        Assert.Equal(MediaTypes.DockerManifestList, index.MediaType);
        Assert.Equal(["sse4"], index.Manifests[1].Platform!.Features!);
        Assert.Equal("10.0.14393.1066", index.Manifests[2].Platform!.OsVersion);
        Assert.Equal(["win32k"], index.Manifests[2].Platform!.OsFeatures!);
        Assert.Equal("v8", index.Manifests[3].Platform!.Variant);
        Assert.Equal(new Platform { Architecture = "arm64", Os = "linux", Variant = "v8" }, index.Manifests[3].Platform);
    }

    [Fact]
    public void Layout_index_annotations_are_read()
    {
        var index = ImageJson.ParseIndex(Bytes(LayoutIndex));
        Assert.Null(index.MediaType);
        Assert.Equal("v1.0", index.Manifests[0].Annotations!["org.opencontainers.image.ref.name"]);
    }

    [Theory]
    [InlineData(OciConfig)]
    [InlineData(DockerConfig)]
    public void Configs_round_trip_with_fields_outside_the_spec(string json) =>
        AssertSameJson(json, ImageJson.Serialize(ImageJson.ParseConfig(Bytes(json))));

    [Fact]
    public void Oci_config_fields_are_read()
    {
        var config = ImageJson.ParseConfig(Bytes(OciConfig));
        Assert.Equal("2015-10-31T22:22:56.015925234Z", config.Created);
        Assert.Equal("amd64", config.Architecture);
        Assert.Equal("linux", config.Os);
        var run = config.Config!;
        Assert.Equal("alice", run.User);
        Assert.Equal(["8080/tcp"], run.ExposedPorts!);
        Assert.Equal(["/var/job-result-data", "/var/log/my-app-logs"], run.Volumes!);
        Assert.Equal(["/bin/my-app-binary"], run.Entrypoint!);
        Assert.Equal("/home/alice", run.WorkingDir);
        Assert.Equal(2, config.RootFs.DiffIds.Count);
        Assert.Equal("layers", config.RootFs.Type);
        Assert.Equal(3, config.History!.Count);
        Assert.True(config.History[1].EmptyLayer);
        Assert.Null(config.History[0].EmptyLayer);
        Assert.Equal("/bin/sh -c apk add curl", config.History[2].CreatedBy);
    }

    [Fact]
    public void Docker_config_fields_are_read()
    {
        var config = ImageJson.ParseConfig(Bytes(DockerConfig));
        var run = config.Config!;
        Assert.Equal(["80/tcp", "443/tcp", "53/udp"], run.ExposedPorts!);
        Assert.Equal(30_000_000_000, run.Healthcheck!.Interval);
        Assert.Equal(3, run.Healthcheck.Retries);
        Assert.Equal(["CMD-SHELL", "curl -f http://localhost/ || exit 1"], run.Healthcheck.Test!);
        Assert.Equal("SIGQUIT", run.StopSignal);
        Assert.Equal(["/bin/bash", "-c"], run.Shell!);
        Assert.Equal(["RUN echo child"], run.OnBuild!);
        Assert.True(run.ArgsEscaped);
        Assert.Equal("10.0.17763.1", config.OsVersion);
        Assert.Equal("v2", config.Variant);
        Assert.Equal("buildkit.dockerfile.v0", config.History![1].Comment);
        Assert.Equal("me", config.History[1].Author);
        Assert.True(config.Extra!.ContainsKey("docker_version"));
        Assert.True(run.Extra!.ContainsKey("Hostname"));
    }

    [Fact]
    public void Port_and_volume_sets_are_written_as_objects_of_empty_objects()
    {
        var config = new ImageConfig
        {
            Architecture = "amd64",
            Os = "linux",
            Config = new ContainerConfig { ExposedPorts = ["80/tcp"], Volumes = ["/data", "/logs"] },
        };
        var json = Encoding.UTF8.GetString(ImageJson.Serialize(config));
        Assert.Equal("""{"architecture":"amd64","os":"linux","config":{"ExposedPorts":{"80/tcp":{}},"Volumes":{"/data":{},"/logs":{}}},"rootfs":{"type":"layers","diff_ids":[]}}""", json);
    }

    [Fact]
    public void Set_values_other_than_empty_objects_are_tolerated()
    {
        var json = """{"config":{"ExposedPorts":{"80/tcp":null,"81/tcp":{"x":[1]},"80/tcp":{}}},"rootfs":{"type":"layers","diff_ids":[]}}""";
        Assert.Equal(["80/tcp", "81/tcp"], ImageJson.ParseConfig(Bytes(json)).Config!.ExposedPorts!);
    }

    [Fact]
    public void Descriptor_round_trips()
    {
        var descriptor = ImageJson.ParseDescriptor(Bytes(DescriptorExample));
        Assert.Equal(["https://example.com/example-manifest"], descriptor.Urls!);
        Assert.Equal(Minified(DescriptorExample), Encoding.UTF8.GetString(ImageJson.Serialize(descriptor)));
    }

    [Fact]
    public void A_manifest_built_in_code_is_written_in_spec_order()
    {
        var manifest = new Manifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Digest.Of("{}"u8).ToString(), Size = 2 },
            Layers = [],
        };
        Assert.Equal(
            """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}""",
            Encoding.UTF8.GetString(ImageJson.Serialize(manifest)));
    }

    [Theory]
    [InlineData(OciManifest, MediaTypes.OciManifest)]
    [InlineData(DockerManifestList, MediaTypes.DockerManifestList)]
    [InlineData(LayoutIndex, MediaTypes.OciIndex)]
    [InlineData("""{"schemaVersion":2,"config":{},"layers":[]}""", MediaTypes.OciManifest)]
    [InlineData(OciConfig, MediaTypes.OciConfig)]
    [InlineData("""{"annotations":{}}""", null)]
    public void Media_type_is_detected_from_the_document(string json, string? expected) =>
        Assert.Equal(expected, ImageJson.DetectMediaType(Bytes(json)));
}
