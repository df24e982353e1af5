using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Communities;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Contracts.Outreach;
using ProgressGrains.Grains.Catalog;
using ProgressGrains.Grains.Outreach;

namespace ProgressGrains.Grains.Communities;

/// <summary>
/// The outreach loop (一个都不能少): members found at risk enter the queue, an admin assigns a squad
/// volunteer, the volunteer's home deliveries reach the member, and the case closes when the member
/// is back on pace. Cases are evaluated on each member event and daily by a durable reminder, so a
/// community nobody calls still opens and closes cases after a restart.
/// </summary>
internal sealed partial class CommunityGrain
{
    private const string OutreachReminder = "outreach-daily";

    public async Task RegisterVolunteers(ImmutableArray<SquadVolunteer> volunteers)
    {
        foreach (var volunteer in volunteers)
        {
            RequireId(volunteer.VolunteerId, "volunteer_id");
            if (volunteer.GridId is { } grid)
            {
                RequireId(grid, "grid_id");
            }
        }

        var changed = false;
        foreach (var volunteer in volunteers)
        {
            if (state.State.Volunteers.GetValueOrDefault(volunteer.VolunteerId) != volunteer)
            {
                state.State.Volunteers[volunteer.VolunteerId] = volunteer;
                changed = true;
            }
        }

        if (changed)
        {
            await WriteNow();
        }
    }

    public Task<ImmutableArray<SquadVolunteer>> GetVolunteers() =>
        Task.FromResult(state.State.Volunteers.Values.OrderBy(v => v.VolunteerId, StringComparer.Ordinal).ToImmutableArray());

    public async Task<(ImmutableArray<AtRiskEntry> Entries, int Total)> GetAtRisk(string? seasonId, int skip, int take, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RequireCommunity();
        var season = await catalog.Require(seasonId);
        var contributions = _rollups.GetValueOrDefault(season.SeasonId)?.Members;
        var open = (state.State.Cases.GetValueOrDefault(season.SeasonId)?.Values ?? Enumerable.Empty<OutreachCase>())
            .Where(c => c.IsOpen && state.State.Roster.ContainsKey(c.MemberId))
            .OrderByDescending(c => c.DaysBehind).ThenBy(c => c.OpenedAt).ThenBy(c => c.MemberId, StringComparer.Ordinal)
            .ToArray();
        var entries = open.Skip(skip).Take(take).Select(c =>
        {
            var entry = state.State.Roster[c.MemberId];
            var contribution = contributions?.GetValueOrDefault(c.MemberId);
            return new AtRiskEntry(c.MemberId, entry.Name, entry.GridId, entry.Flags,
                Rules.Progress(contribution?.CompletedRequiredLessons ?? 0, season.RequiredLessons), contribution?.LastActivityAt, c);
        });
        return ([.. entries], open.Length);
    }

    public async Task<OutreachCase> AssignOutreach(string memberId, string volunteerId, string? assignedBy, string? seasonId)
    {
        RequireCommunity();
        var season = await catalog.Require(seasonId);
        if (!state.State.Roster.ContainsKey(memberId))
        {
            throw ProgressException.NotFound("member_id", $"Member '{memberId}' is not on the roster of community '{CommunityId}'.");
        }

        if (!state.State.Volunteers.ContainsKey(volunteerId))
        {
            throw ProgressException.NotFound("volunteer_id",
                $"'{volunteerId}' is not in the study-assistance squad of community '{CommunityId}'; GET /v1/communities/{CommunityId}/volunteers lists it.");
        }

        var now = time.GetUtcNow();
        var cases = Cases(season.SeasonId);
        var existing = cases.GetValueOrDefault(memberId) is { IsOpen: true } open ? open : null;
        if (existing?.VolunteerId == volunteerId)
        {
            // Assigned already: make sure the volunteer and the member know (a retry after a failure), then answer the same.
            await Notify(existing);
            return existing;
        }

        var contribution = _rollups.GetValueOrDefault(season.SeasonId)?.Members.GetValueOrDefault(memberId);
        var assigned = (existing ?? NewCase(season, memberId, now,
                [new AtRiskReason(AtRiskReasonKind.AssignedByAdmin, $"assigned by {assignedBy ?? "a community admin"} before being flagged")], 0))
            with
            {
                Status = OutreachCaseStatus.Assigned,
                VolunteerId = volunteerId,
                AssignedAt = now,
                HomeDeliveriesAtAssignment = contribution?.HomeDeliveries ?? 0,
            };
        assigned = assigned with { History = assigned.History.Add(new CaseEvent(now, $"assigned to volunteer {volunteerId}", assignedBy)) };
        cases[memberId] = assigned;
        await WriteNow();

        if (existing?.VolunteerId is { } previous)
        {
            await GrainFactory.GetGrain<IVolunteerGrain>(previous).Close(CommunityId, memberId, season.SeasonId, now);
        }

        await Notify(assigned);
        return assigned;
    }

    private async Task Notify(OutreachCase assigned)
    {
        await GrainFactory.GetGrain<IVolunteerGrain>(assigned.VolunteerId!)
            .Assign(new Assignment(CommunityId, assigned.MemberId, assigned.SeasonId, assigned.AssignedAt!.Value, true, null));
        await GrainFactory.GetGrain<IMemberGrain>(GrainKeys.Member(assigned.MemberId)).SetOutreachVolunteer(assigned.VolunteerId);
    }

    public async Task<OutreachCase> GetOutreachCase(string memberId, string? seasonId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RequireCommunity();
        var season = await catalog.Require(seasonId);
        return state.State.Cases.GetValueOrDefault(season.SeasonId)?.GetValueOrDefault(memberId)
            ?? throw ProgressException.NotFound("member_id", $"Member '{memberId}' has no outreach case in season '{season.SeasonId}'.");
    }

    public async Task<int> EvaluateOutreach(string? seasonId)
    {
        if (await catalog.Find(seasonId) is not { } season || state.State.Roster.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var changed = state.State.Roster.Keys.Count(memberId => UpdateCase(season, memberId, now));
        if (changed > 0)
        {
            await WriteNow();
        }

        return changed;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == OutreachReminder && state.State.Definition is not null)
        {
            await EvaluateOutreach(null);
        }
    }

    /// <summary>Brings one member's case up to date; true when it changed (the caller writes).</summary>
    private bool UpdateCase(ResolvedSeason season, string memberId, DateTimeOffset now)
    {
        var contribution = _rollups.GetValueOrDefault(season.SeasonId)?.Members.GetValueOrDefault(memberId);
        var assessment = AtRiskEvaluator.Evaluate(contribution?.CompletedRequiredLessons ?? 0, contribution?.LastActivityAt, season, now);
        var cases = Cases(season.SeasonId);
        var current = cases.GetValueOrDefault(memberId);
        OutreachCase? next = current;
        if (current is not { IsOpen: true })
        {
            if (assessment.AtRisk)
            {
                next = current is null
                    ? NewCase(season, memberId, now, assessment.Reasons, assessment.DaysBehind)
                    : current with
                    {
                        Status = OutreachCaseStatus.Open, Reasons = assessment.Reasons, DaysBehind = assessment.DaysBehind, OpenedAt = now,
                        VolunteerId = null, AssignedAt = null, ClosedAt = null, Reached = false,
                        History = current.History.Add(new CaseEvent(now, "at risk again: " + Describe(assessment.Reasons), null)),
                    };
            }
        }
        else if (!assessment.AtRisk
            && (current.Reasons.All(r => r.Kind != AtRiskReasonKind.AssignedByAdmin)
                || Rules.IsCompleted(contribution?.CompletedRequiredLessons ?? 0, season.RequiredLessons)))
        {
            current = Reach(current, contribution, now);
            next = current with
            {
                Status = OutreachCaseStatus.Recovered,
                ClosedAt = now,
                Reasons = [],
                DaysBehind = 0,
                History = current.History.Add(new CaseEvent(now, "back on pace: left the outreach queue", null)),
            };
            if (current.VolunteerId is { } volunteer)
            {
                _ = Release(volunteer, memberId, season.SeasonId, now);
            }
        }
        else
        {
            // Still at risk, or an admin's standing assignment (kept until the season is completed).
            var manual = current.Reasons.Where(r => r.Kind == AtRiskReasonKind.AssignedByAdmin);
            next = Reach(current, contribution, now) with
            {
                Reasons = assessment.AtRisk ? [.. manual.Concat(assessment.Reasons)] : current.Reasons,
                DaysBehind = assessment.DaysBehind,
            };
        }

        if (next is null || next == current)
        {
            return false;
        }

        cases[memberId] = next;
        return true;
    }

    /// <summary>Marks an assigned case reached once the member has a home delivery made after the assignment.</summary>
    private static OutreachCase Reach(OutreachCase current, MemberContribution? contribution, DateTimeOffset now) =>
        current.Status == OutreachCaseStatus.Assigned && !current.Reached && (contribution?.HomeDeliveries ?? 0) > current.HomeDeliveriesAtAssignment
            ? current with { Reached = true, History = current.History.Add(new CaseEvent(now, "reached: a lesson was delivered at home", current.VolunteerId)) }
            : current;

    private static OutreachCase NewCase(ResolvedSeason season, string memberId, DateTimeOffset now, ImmutableArray<AtRiskReason> reasons, int daysBehind) => new()
    {
        MemberId = memberId,
        SeasonId = season.SeasonId,
        Reasons = reasons,
        DaysBehind = daysBehind,
        OpenedAt = now,
        History = [new CaseEvent(now, "entered the outreach queue: " + Describe(reasons), null)],
    };

    private static string Describe(ImmutableArray<AtRiskReason> reasons) => string.Join("; ", reasons.Select(r => r.Description));

    /// <summary>
    /// Closes the volunteer's assignment, without waiting (the member may be calling this grain).
    /// The member keeps the volunteer as the one who may deliver at home (a housebound member
    /// still needs visits) until an admin assigns another.
    /// </summary>
    private async Task Release(string volunteerId, string memberId, string seasonId, DateTimeOffset at)
    {
        try
        {
            await GrainFactory.GetGrain<IVolunteerGrain>(volunteerId).Close(CommunityId, memberId, seasonId, at);
        }
        catch (Exception ex)
        {
            LogReleaseFailed(logger, ex, CommunityId, memberId);
        }
    }

    private Dictionary<string, OutreachCase> Cases(string seasonId)
    {
        if (!state.State.Cases.TryGetValue(seasonId, out var cases))
        {
            cases = new Dictionary<string, OutreachCase>(StringComparer.Ordinal);
            state.State.Cases[seasonId] = cases;
        }

        return cases;
    }

    private OutreachCoverage Coverage(string seasonId)
    {
        // One pass without copying: a rollup read and the gauges run this over every case.
        int atRisk = 0, inOutreach = 0, reached = 0, notYetReached = 0, recovered = 0;
        if (state.State.Cases.GetValueOrDefault(seasonId) is { } cases)
        {
            foreach (var c in cases.Values)
            {
                if (!state.State.Roster.ContainsKey(c.MemberId))
                {
                    continue;
                }

                atRisk += c.IsOpen ? 1 : 0;
                inOutreach += c.Status == OutreachCaseStatus.Assigned ? 1 : 0;
                reached += c.Reached ? 1 : 0;
                notYetReached += c.IsOpen && !c.Reached ? 1 : 0;
                recovered += c.Status == OutreachCaseStatus.Recovered ? 1 : 0;
            }
        }

        return new OutreachCoverage(atRisk, inOutreach, reached, notYetReached, recovered);
    }

    private async Task RegisterOutreachReminder()
    {
        try
        {
            await this.RegisterOrUpdateReminder(OutreachReminder, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Without a reminder service the queue still updates on every member event.
            LogNoReminders(logger, ex, CommunityId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Community {CommunityId} could not release the outreach assignment of {MemberId}")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string communityId, string memberId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Community {CommunityId} could not register its daily outreach reminder")]
    private static partial void LogNoReminders(ILogger logger, Exception exception, string communityId);
}
