namespace ProgressGrains.Grains;

/// <summary>Names of the grain storage providers the grains use; the host registers them.</summary>
public static class StorageNames
{
    /// <summary>Durable state of members, communities and the catalog.</summary>
    public const string Progress = "progress";
}
