namespace ProgressGrains.Grains;

/// <summary>How community rollups are kept (configuration section <c>Rollups</c>).</summary>
public sealed class RollupOptions
{
    public const string Section = "Rollups";

    /// <summary>
    /// How often a community writes its rollup when members changed it. Contributions applied
    /// since the last write are not lost on a crash: a community that was not stopped in order
    /// asks every roster member again before serving. The write is the whole community (about
    /// 0.5 KB per member), so a short interval costs real CPU under load for little gain.
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a community refreshes its outreach gauges (members at risk, in outreach) while its rollup changes.</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many members a community asks at once while it rebuilds.</summary>
    public int ReconcileConcurrency { get; set; } = 64;

    /// <summary>How long a silo keeps a season from the catalog before asking again.</summary>
    public TimeSpan CatalogCacheDuration { get; set; } = TimeSpan.FromSeconds(5);
}
