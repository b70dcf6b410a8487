// The suite drives Linux containers only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
