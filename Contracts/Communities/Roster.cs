using System.Collections.Immutable;

namespace ProgressGrains.Contracts.Communities;

/// <summary>A member as their community's roster knows them.</summary>
[GenerateSerializer, Immutable, Alias("pg.RosterEntry")]
public sealed record RosterEntry(
    [property: Id(0)] string MemberId,
    [property: Id(1)] string Name,
    [property: Id(2)] string GridId,
    [property: Id(3)] MemberFlags Flags,
    [property: Id(4)] int? BirthYear = null);

/// <summary>Asks for a page of a roster: members whose id sorts after <see cref="AfterMemberId"/>.</summary>
[GenerateSerializer, Immutable, Alias("pg.RosterQuery")]
public sealed record RosterQuery(
    [property: Id(0)] string? SeasonId,
    [property: Id(1)] int PageSize,
    [property: Id(2)] string? AfterMemberId,
    [property: Id(3)] string? GridId);

/// <summary>A roster member with their progress in the season asked for.</summary>
[GenerateSerializer, Immutable, Alias("pg.RosterItem")]
public sealed record RosterItem(
    [property: Id(0)] RosterEntry Entry,
    [property: Id(1)] int Points,
    [property: Id(2)] double Progress,
    [property: Id(3)] bool Completed,
    [property: Id(4)] int CheckIns,
    [property: Id(5)] DateTimeOffset? LastActivityAt);

/// <summary>A page of a roster; <see cref="LastMemberId"/> is set when more members follow.</summary>
[GenerateSerializer, Immutable, Alias("pg.RosterPage")]
public sealed record RosterPage(
    [property: Id(0)] ImmutableArray<RosterItem> Members,
    [property: Id(1)] string? LastMemberId,
    [property: Id(2)] int TotalSize);
