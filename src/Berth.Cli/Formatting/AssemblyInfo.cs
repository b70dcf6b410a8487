using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Berth.Cli.Tests")]
