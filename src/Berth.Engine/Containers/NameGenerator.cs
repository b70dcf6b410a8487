namespace Berth.Engine.Containers;

/// <summary>Random container names in docker's style, "adjective_noun", for containers created without --name.</summary>
public static class NameGenerator
{
    private static readonly string[] Left =
    [
        "agile", "amber", "bold", "brave", "bright", "calm", "clever", "cool", "crisp", "daring",
        "eager", "early", "fair", "fancy", "fervent", "gentle", "glad", "golden", "happy", "hardy",
        "humble", "jolly", "keen", "kind", "lively", "loyal", "lucid", "merry", "mellow", "nimble",
        "noble", "patient", "plucky", "polite", "proud", "quick", "quiet", "rapid", "ready", "serene",
        "sharp", "shiny", "silent", "sleek", "smart", "snappy", "steady", "sturdy", "swift", "tidy",
        "trusty", "vivid", "warm", "wise", "witty", "zealous",
    ];

    private static readonly string[] Right =
    [
        "anchor", "beacon", "berth", "bollard", "bosun", "breeze", "buoy", "cabin", "canal", "cargo",
        "compass", "coral", "crane", "current", "delta", "dock", "estuary", "ferry", "fjord", "galley",
        "gull", "harbor", "hull", "inlet", "island", "jetty", "keel", "lagoon", "lantern", "lighthouse",
        "mariner", "mast", "mooring", "narrows", "oar", "pelican", "pier", "pilot", "quay", "reef",
        "rudder", "sail", "schooner", "shoal", "skiff", "sloop", "sound", "strait", "tide", "towline",
        "vessel", "wake", "wharf", "winch", "yawl",
    ];

    public static string Next() =>
        $"{Left[Random.Shared.Next(Left.Length)]}_{Right[Random.Shared.Next(Right.Length)]}";
}
