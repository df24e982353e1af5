using System.Globalization;

namespace ProgressGrains.Silo.Storage;

/// <summary>The schema scripts embedded in the silo (Schema/{Provider}/NNNN_name.sql and queries/KEY.sql).</summary>
internal static class SchemaResources
{
    public static IEnumerable<(int Version, string Name)> Scripts(string folder) =>
        Names(folder)
            .Where(n => !n.StartsWith(folder + "queries/", StringComparison.Ordinal))
            .Select(n => n[folder.Length..])
            .Select(name => (int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture), name))
            .OrderBy(s => s.Item1);

    public static IEnumerable<(string Key, string Resource)> Queries(string folder) =>
        Names(folder + "queries/").Select(n => (Path.GetFileNameWithoutExtension(n), n));

    public static string Read(string name)
    {
        using var stream = typeof(SchemaResources).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Schema resource '{name}' is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static IEnumerable<string> Names(string prefix) =>
        typeof(SchemaResources).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
}
