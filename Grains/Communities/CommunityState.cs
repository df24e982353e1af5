using ProgressGrains.Contracts.Communities;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Contracts.Outreach;

namespace ProgressGrains.Grains.Communities;

/// <summary>A community's durable state: definition, roster, and the members' contributions per season.</summary>
[GenerateSerializer, Alias("pg.CommunityState")]
internal sealed class CommunityState
{
    [Id(0)] public CommunityDefinition? Definition { get; set; }
    [Id(1)] public Dictionary<string, RosterEntry> Roster { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Season id → member id → the newest contribution seen.</summary>
    [Id(2)] public Dictionary<string, Dictionary<string, MemberContribution>> Contributions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// True only when written by an orderly deactivation: then the stored contributions are all
    /// there were. Otherwise contributions applied after the last write may be missing, and the
    /// community rebuilds from its members when it next activates.
    /// </summary>
    [Id(3)] public bool Complete { get; set; }

    /// <summary>Season id → when a member event last changed the rollup.</summary>
    [Id(4)] public Dictionary<string, DateTimeOffset> UpdatedAt { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The study-assistance squad (助学小分队) by volunteer id.</summary>
    [Id(5)] public Dictionary<string, SquadVolunteer> Volunteers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Season id → member id → the member's outreach case (open or closed), with its history.</summary>
    [Id(6)] public Dictionary<string, Dictionary<string, OutreachCase>> Cases { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Members who moved away → the last version of theirs this community may have seen: a late
    /// contribution at or below it (sent before the move) must not bring them back.
    /// </summary>
    [Id(7)] public Dictionary<string, long> Departed { get; set; } = new(StringComparer.Ordinal);
}
