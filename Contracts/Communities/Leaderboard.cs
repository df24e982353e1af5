using System.Collections.Immutable;
using ProgressGrains.Contracts.Members;

namespace ProgressGrains.Contracts.Communities;

/// <summary>A member on a leaderboard; members with equal points share a rank.</summary>
[GenerateSerializer, Immutable, Alias("pg.LeaderboardEntry")]
public sealed record LeaderboardEntry(
    [property: Id(0)] int Rank,
    [property: Id(1)] string MemberId,
    [property: Id(2)] string Name,
    [property: Id(3)] string CommunityId,
    [property: Id(4)] string GridId,
    [property: Id(5)] int Points);

/// <summary>The top of a leaderboard, and one member's place when asked.</summary>
[GenerateSerializer, Immutable, Alias("pg.Leaderboard")]
public sealed record Leaderboard(
    [property: Id(0)] string SeasonId,
    [property: Id(1)] ImmutableArray<LeaderboardEntry> Leaders,
    [property: Id(2)] LeaderboardEntry? Member,
    [property: Id(3)] int RankedMembers);

/// <summary>A reflection of a community member, for moderation and the featured list.</summary>
[GenerateSerializer, Immutable, Alias("pg.CommunityReflection")]
public sealed record CommunityReflection(
    [property: Id(0)] string MemberId,
    [property: Id(1)] string MemberName,
    [property: Id(2)] ReflectionSummary Reflection);

/// <summary>A page of a community's reflections, newest first.</summary>
[GenerateSerializer, Immutable, Alias("pg.ReflectionPage")]
public sealed record ReflectionPage(
    [property: Id(0)] ImmutableArray<CommunityReflection> Reflections,
    [property: Id(1)] int TotalSize);
