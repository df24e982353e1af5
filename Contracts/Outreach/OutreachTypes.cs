using System.Collections.Immutable;

namespace ProgressGrains.Contracts.Outreach;

/// <summary>When a member counts as at risk in a season (rules as data, per season).</summary>
[GenerateSerializer, Immutable, Alias("pg.OutreachRules")]
public sealed record OutreachRules
{
    /// <summary>Behind pace: progress below this share of the season elapsed (0.8: 80% of the expected pace).</summary>
    [Id(0)] public double PaceThreshold { get; init; } = 0.8;

    /// <summary>Inactive: no activity for this many days (counted from the season start when there was none).</summary>
    [Id(1)] public int InactivityDays { get; init; } = 14;
}

/// <summary>Why a member is at risk.</summary>
[GenerateSerializer, Alias("pg.AtRiskReasonKind")]
public enum AtRiskReasonKind
{
    BehindPace = 1,
    Inactive = 2,

    /// <summary>An admin assigned a volunteer before the member was flagged (e.g. a housebound member).</summary>
    AssignedByAdmin = 3,
}

[GenerateSerializer, Immutable, Alias("pg.AtRiskReason")]
public sealed record AtRiskReason(
    [property: Id(0)] AtRiskReasonKind Kind,
    [property: Id(1)] string Description);

/// <summary>Where an outreach case stands.</summary>
[GenerateSerializer, Alias("pg.OutreachCaseStatus")]
public enum OutreachCaseStatus
{
    /// <summary>At risk, no volunteer yet.</summary>
    Open = 1,

    /// <summary>A squad volunteer is assigned.</summary>
    Assigned = 2,

    /// <summary>Back on pace: closed.</summary>
    Recovered = 3,
}

/// <summary>One step in a case's history.</summary>
[GenerateSerializer, Immutable, Alias("pg.CaseEvent")]
public sealed record CaseEvent(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string What,
    [property: Id(2)] string? By);

/// <summary>An outreach case: a member at risk, who is helping them, and what happened.</summary>
[GenerateSerializer, Immutable, Alias("pg.OutreachCase")]
public sealed record OutreachCase
{
    [Id(0)] public required string MemberId { get; init; }
    [Id(1)] public required string SeasonId { get; init; }
    [Id(2)] public OutreachCaseStatus Status { get; init; } = OutreachCaseStatus.Open;
    [Id(3)] public ImmutableArray<AtRiskReason> Reasons { get; init; } = [];
    [Id(4)] public int DaysBehind { get; init; }
    [Id(5)] public DateTimeOffset OpenedAt { get; init; }
    [Id(6)] public string? VolunteerId { get; init; }
    [Id(7)] public DateTimeOffset? AssignedAt { get; init; }
    [Id(8)] public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>Whether the assigned volunteer has delivered a lesson at home since the assignment.</summary>
    [Id(9)] public bool Reached { get; init; }
    [Id(10)] public ImmutableArray<CaseEvent> History { get; init; } = [];

    /// <summary>Home deliveries the member had when the volunteer was assigned (later ones count as reaching them).</summary>
    [Id(11)] public int HomeDeliveriesAtAssignment { get; init; }

    public bool IsOpen => Status != OutreachCaseStatus.Recovered;

    // By value, including the reasons and history (a record compares ImmutableArray fields by
    // reference, so an unchanged case rebuilt from the same facts looked changed and the community
    // wrote itself on every event). Every property belongs here.
    public bool Equals(OutreachCase? other) =>
        other is not null
        && MemberId == other.MemberId && SeasonId == other.SeasonId && Status == other.Status
        && SameItems(Reasons, other.Reasons) && DaysBehind == other.DaysBehind && OpenedAt == other.OpenedAt
        && VolunteerId == other.VolunteerId && AssignedAt == other.AssignedAt && ClosedAt == other.ClosedAt
        && Reached == other.Reached && SameItems(History, other.History)
        && HomeDeliveriesAtAssignment == other.HomeDeliveriesAtAssignment;

    public override int GetHashCode() => HashCode.Combine(MemberId, SeasonId, Status, DaysBehind, OpenedAt, VolunteerId, Reached);

    private static bool SameItems<T>(ImmutableArray<T> a, ImmutableArray<T> b) =>
        a.IsDefaultOrEmpty ? b.IsDefaultOrEmpty : !b.IsDefault && a.SequenceEqual(b);
}

/// <summary>A study-assistance squad volunteer (助学小分队) of a community.</summary>
[GenerateSerializer, Immutable, Alias("pg.SquadVolunteer")]
public sealed record SquadVolunteer(
    [property: Id(0)] string VolunteerId,
    [property: Id(1)] string Name,
    [property: Id(2)] string? GridId);

/// <summary>An entry of a community's outreach queue.</summary>
[GenerateSerializer, Immutable, Alias("pg.AtRiskEntry")]
public sealed record AtRiskEntry(
    [property: Id(0)] string MemberId,
    [property: Id(1)] string Name,
    [property: Id(2)] string GridId,
    [property: Id(3)] MemberFlags Flags,
    [property: Id(4)] double Progress,
    [property: Id(5)] DateTimeOffset? LastActivityAt,
    [property: Id(6)] OutreachCase Case);

/// <summary>A volunteer's assignment.</summary>
[GenerateSerializer, Immutable, Alias("pg.Assignment")]
public sealed record Assignment(
    [property: Id(0)] string CommunityId,
    [property: Id(1)] string MemberId,
    [property: Id(2)] string SeasonId,
    [property: Id(3)] DateTimeOffset AssignedAt,
    [property: Id(4)] bool Open,
    [property: Id(5)] DateTimeOffset? ClosedAt);

/// <summary>How far outreach has come in a community or subdistrict.</summary>
[GenerateSerializer, Immutable, Alias("pg.OutreachCoverage")]
public sealed record OutreachCoverage(
    [property: Id(0)] int AtRisk,
    [property: Id(1)] int InOutreach,
    [property: Id(2)] int Reached,
    [property: Id(3)] int NotYetReached,
    [property: Id(4)] int Recovered);
