using ProgressGrains.Contracts.Members;

namespace ProgressGrains.Grains.Members;

/// <summary>A member's durable state: the profile and, per season, every event that counted.</summary>
[GenerateSerializer, Alias("pg.MemberState")]
internal sealed class MemberState
{
    [Id(0)] public MemberProfile? Profile { get; set; }

    /// <summary>Bumped on every applied event; communities keep the highest version they saw.</summary>
    [Id(1)] public long Version { get; set; }

    [Id(2)] public Dictionary<string, MemberSeasonState> Seasons { get; set; } = new(StringComparer.Ordinal);
}

[GenerateSerializer, Alias("pg.MemberSeasonState")]
internal sealed class MemberSeasonState
{
    [Id(0)] public List<LessonCompletionRecord> Lessons { get; set; } = [];
    [Id(1)] public List<CheckInRecord> CheckIns { get; set; } = [];
    [Id(2)] public List<LedgerEntry> Ledger { get; set; } = [];
    [Id(3)] public int Points { get; set; }
    [Id(4)] public DateTimeOffset? LastActivityAt { get; set; }

    public void Award(LedgerEntry entry, DateTimeOffset occurredAt)
    {
        Ledger.Add(entry);
        Points += entry.Points;
        if (LastActivityAt is null || occurredAt > LastActivityAt)
        {
            LastActivityAt = occurredAt;
        }
    }
}
