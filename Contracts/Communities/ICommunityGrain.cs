using System.Collections.Immutable;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Contracts.Outreach;

namespace ProgressGrains.Contracts.Communities;

/// <summary>
/// One community: its roster and the live rollup of its members, derived from the members'
/// contributions. Key: the community id (<see cref="GrainKeys.Community"/>). Contributions are
/// applied in memory and written in batches; after an unclean stop the rollup is rebuilt from the
/// members themselves.
/// </summary>
[Alias("pg.ICommunityGrain")]
public interface ICommunityGrain : IGrainWithStringKey
{
    /// <summary>Creates or updates the community's definition.</summary>
    [Alias("Define")]
    Task Define(CommunityDefinition definition);

    /// <summary>The definition, or null when the community was never defined.</summary>
    [ReadOnly, Alias("GetDefinition")]
    Task<CommunityDefinition?> GetDefinition();

    /// <summary>Adds or updates roster entries, durably, in one write.</summary>
    [Alias("Enroll")]
    Task Enroll(ImmutableArray<RosterEntry> entries);

    /// <summary>
    /// Takes a member off the roster (they moved to another community): their contribution leaves
    /// every rollup and their outreach cases close. Contributions of theirs up to
    /// <paramref name="lastVersion"/> (sent before the move, arriving late) are ignored from then on.
    /// Removing an absent member changes nothing.
    /// </summary>
    [Alias("Remove")]
    Task Remove(string memberId, long lastVersion);

    /// <summary>Everything analysts break the season down by, counted from the members' contributions now.</summary>
    [ReadOnly, Alias("GetAnalytics")]
    Task<CommunityAnalytics> GetAnalytics(string? seasonId, CancellationToken cancellationToken = default);

    /// <summary>Applies a member's contribution if it is newer than the one held; older or equal ones are ignored.</summary>
    [Alias("Apply")]
    Task Apply(MemberContribution contribution);

    /// <summary>
    /// <see cref="Apply"/> for many contributions, in the order given, as one call: what the
    /// members on one silo sent this community while its previous batch was on the way.
    /// </summary>
    [Alias("ApplyAll")]
    Task ApplyAll(ImmutableArray<MemberContribution> contributions);

    /// <summary>The rollup for a season (empty or <c>current</c>: the current season).</summary>
    [ReadOnly, Alias("GetRollup")]
    Task<CommunityRollup> GetRollup(string? seasonId, CancellationToken cancellationToken = default);

    /// <summary>A page of the roster with each member's progress.</summary>
    [ReadOnly, Alias("ListMembers")]
    Task<RosterPage> ListMembers(RosterQuery query, CancellationToken cancellationToken = default);

    /// <summary>Members ranked by points (then id): the top <paramref name="top"/>, and <paramref name="memberId"/>'s place when given.</summary>
    [ReadOnly, Alias("GetLeaderboard")]
    Task<Leaderboard> GetLeaderboard(string? seasonId, int top, string? memberId, CancellationToken cancellationToken = default);

    /// <summary>How many members have more than <paramref name="points"/> (for ranks across communities).</summary>
    [ReadOnly, Alias("CountAhead")]
    Task<int> CountAhead(string seasonId, int points);

    /// <summary>Reflections, newest first, optionally of one status: entries after the first <paramref name="skip"/>.</summary>
    [ReadOnly, Alias("ListReflections")]
    Task<ReflectionPage> ListReflections(string? seasonId, ReflectionStatus? status, int skip, int take, CancellationToken cancellationToken = default);

    /// <summary>Adds or updates squad volunteers (助学小分队).</summary>
    [Alias("RegisterVolunteers")]
    Task RegisterVolunteers(ImmutableArray<SquadVolunteer> volunteers);

    [ReadOnly, Alias("GetVolunteers")]
    Task<ImmutableArray<SquadVolunteer>> GetVolunteers();

    /// <summary>The outreach queue: open cases (at risk, or assigned and not yet back on pace), most days behind first.</summary>
    [ReadOnly, Alias("GetAtRisk")]
    Task<(ImmutableArray<AtRiskEntry> Entries, int Total)> GetAtRisk(string? seasonId, int skip, int take, CancellationToken cancellationToken = default);

    /// <summary>Assigns a member to a squad volunteer, opening a case if the member has none; only that volunteer may then record home deliveries.</summary>
    [Alias("AssignOutreach")]
    Task<OutreachCase> AssignOutreach(string memberId, string volunteerId, string? assignedBy, string? seasonId);

    /// <summary>A member's case with its history, or NotFound.</summary>
    [ReadOnly, Alias("GetOutreachCase")]
    Task<OutreachCase> GetOutreachCase(string memberId, string? seasonId, CancellationToken cancellationToken = default);

    /// <summary>Evaluates every roster member (the daily run; also on each member event): opens and closes cases; returns how many changed.</summary>
    [Alias("EvaluateOutreach")]
    Task<int> EvaluateOutreach(string? seasonId);

    /// <summary>Asks every roster member for their contribution and applies it; returns how many members answered.</summary>
    [Alias("Reconcile")]
    Task<int> Reconcile();
}
