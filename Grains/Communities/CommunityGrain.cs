using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Communities;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Contracts.Outreach;
using ProgressGrains.Contracts.Subdistricts;
using ProgressGrains.Grains.Catalog;
using ProgressGrains.Grains.Telemetry;

namespace ProgressGrains.Grains.Communities;

/// <summary>
/// One community. Member contributions, and the outreach cases they open or close, are applied in
/// memory and written on a timer, not per event; roster changes and admins' assignments are
/// written at once. An activation that finds its stored state was not
/// written by an orderly deactivation rebuilds the rollup from its members before serving.
/// </summary>
internal sealed partial class CommunityGrain(
    [PersistentState("community", StorageNames.Progress)] IPersistentState<CommunityState> state,
    SeasonCatalog catalog,
    ProgressClock time,
    IOptions<RollupOptions> options,
    ProgressMetrics metrics,
    ILogger<CommunityGrain> logger) : Grain, ICommunityGrain, IRemindable
{
    internal static readonly TimeSpan ActiveWindow = TimeSpan.FromDays(7);

    private readonly Dictionary<string, SeasonRollup> _rollups = new(StringComparer.Ordinal);
    private string[]? _sortedMemberIds;
    private Dictionary<string, int>? _enrolledPerGrid;
    private bool _dirty;
    private IGrainTimer? _registration;

    private string CommunityId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var (seasonId, members) in state.State.Contributions)
        {
            _rollups[seasonId] = new SeasonRollup(members, GridOf);
        }

        if (state.RecordExists && !state.State.Complete && state.State.Roster.Count > 0)
        {
            var answered = await Reconcile();
            LogRebuilt(logger, CommunityId, answered, state.State.Roster.Count);
        }
        else if (state.State.Complete)
        {
            // From now on the stored state may lag behind memory: say so before taking any change.
            state.State.Complete = false;
            await state.WriteStateAsync(cancellationToken);
        }

        if (state.State.Definition is not null)
        {
            // Not awaited here: this activation may be caused by the subdistrict's own rollup,
            // which waits on this community (Register interleaves there now, but activation need
            // not wait for the subdistrict either). A timer that interleaves registers once the
            // activation is done, and again every 10 s until the subdistrict has taken it.
            _registration = this.RegisterGrainTimer(RegisterWithSubdistrictOnce,
                new GrainTimerCreationOptions(TimeSpan.Zero, TimeSpan.FromSeconds(10)) { Interleave = true });
        }

        await RegisterOutreachReminder();
        await ReportOutreach();
        var interval = options.Value.FlushInterval;
        this.RegisterGrainTimer(FlushIfDirty, new GrainTimerCreationOptions(interval, interval));
        var report = options.Value.ReportInterval;
        if (report < interval)
        {
            this.RegisterGrainTimer(ReportIfDirty, new GrainTimerCreationOptions(report, report));
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.Forget(CommunityId);
        if (!state.RecordExists && !_dirty)
        {
            return;
        }

        try
        {
            state.State.Complete = true;
            await state.WriteStateAsync(cancellationToken);
            _dirty = false;
        }
        catch (Exception ex)
        {
            LogFlushFailed(logger, ex, CommunityId);
        }
    }

    public async Task Define(CommunityDefinition definition)
    {
        if (definition.CommunityId != CommunityId)
        {
            throw ProgressException.Invalid("community_id", $"The definition is for community '{definition.CommunityId}', not '{CommunityId}'.");
        }

        RequireId(definition.SubdistrictId, "subdistrict_id");
        foreach (var grid in definition.Grids)
        {
            RequireId(grid, "grid_id");
        }

        if (state.State.Definition is { } existing && existing with { Grids = [] } == definition with { Grids = [] }
            && existing.Grids.SequenceEqual(definition.Grids))
        {
            return;
        }

        state.State.Definition = definition;
        await WriteNow();
        await RegisterWithSubdistrict(definition);
    }

    private Task RegisterWithSubdistrict(CommunityDefinition definition) =>
        GrainFactory.GetGrain<ISubdistrictGrain>(definition.SubdistrictId).Register(CommunityId);

    private async Task RegisterWithSubdistrictOnce(CancellationToken cancellationToken)
    {
        if (state.State.Definition is not { } definition)
        {
            return;
        }

        try
        {
            await RegisterWithSubdistrict(definition);
            _registration?.Dispose();
            _registration = null;
        }
        catch (Exception ex)
        {
            LogRegistrationFailed(logger, ex, CommunityId, definition.SubdistrictId);
        }
    }

    public Task<CommunityDefinition?> GetDefinition() => Task.FromResult(state.State.Definition);

    public async Task Enroll(ImmutableArray<RosterEntry> entries)
    {
        foreach (var entry in entries)
        {
            RequireId(entry.MemberId, "member_id");
            RequireId(entry.GridId, "grid_id");
        }

        var changed = false;
        foreach (var entry in entries)
        {
            changed |= Upsert(entry);
        }

        if (changed)
        {
            await WriteNow();
        }
    }

    public Task Apply(MemberContribution contribution) => ApplyAll([contribution]);

    public async Task ApplyAll(ImmutableArray<MemberContribution> contributions)
    {
        var rosterChanged = false;
        foreach (var contribution in contributions)
        {
            rosterChanged |= await Take(contribution);
        }

        if (rosterChanged)
        {
            // A member the roster did not know: written now, so a rebuild after a crash asks them too.
            await WriteNow();
        }
    }

    /// <summary>Takes one contribution into memory; true when it added or changed a roster entry (to be written at once).</summary>
    private async Task<bool> Take(MemberContribution contribution)
    {
        if (contribution.Profile.CommunityId != CommunityId)
        {
            return false;
        }

        if (state.State.Departed.TryGetValue(contribution.MemberId, out var departedAt))
        {
            if (contribution.Version <= departedAt)
            {
                return false; // sent before the member moved away
            }

            state.State.Departed.Remove(contribution.MemberId); // they moved back
        }

        // A newer contribution carries the member's current profile (name, grid, flags): the roster follows it.
        var newer = _rollups.GetValueOrDefault(contribution.SeasonId)?.Members.GetValueOrDefault(contribution.MemberId) is not { } held
            || held.Version < contribution.Version;
        var rosterChanged = newer && Upsert(ToRosterEntry(contribution.Profile));
        if (ApplyToRollup(contribution) && contribution.CommittedAt is { } committed)
        {
            metrics.RollupLag(DateTimeOffset.UtcNow - committed);
        }

        if (await catalog.Find(contribution.SeasonId) is { } season && UpdateCase(season, contribution.MemberId, time.GetUtcNow()))
        {
            // A case the member's progress opened or closed follows from their facts, like the
            // rollup: written with it on the timer, and evaluated again by a rebuild after a crash.
            // Writing the whole community here made every such event wait for it.
            _dirty = true;
        }

        return rosterChanged;
    }

    public async Task<CommunityRollup> GetRollup(string? seasonId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var community = RequireCommunity();
        var season = await catalog.Require(seasonId);
        var rollup = _rollups.GetValueOrDefault(season.SeasonId);
        var required = season.RequiredLessons;
        var enrolledPerGrid = EnrolledPerGrid();
        var grids = community.Grids.Concat(enrolledPerGrid.Keys.Order(StringComparer.Ordinal)).Distinct(StringComparer.Ordinal);
        var activeSince = time.GetUtcNow() - ActiveWindow;
        var empty = new RollupTotals(0, 0, 0, required, 0, 0, 0);
        return new CommunityRollup
        {
            Community = community,
            SeasonId = season.SeasonId,
            Totals = rollup?.Totals(state.State.Roster.Count, required) ?? empty with { EnrolledMembers = state.State.Roster.Count },
            ActiveMembers = rollup?.Members.Values.Count(c => c.LastActivityAt >= activeSince) ?? 0,
            Lessons = [.. season.Definition.Lessons.Select(l => new LessonCount(l.LessonId, rollup?.LessonCompletions(l.LessonId) ?? 0))],
            Grids = [.. grids.Select(g => new GridTotals(g,
                rollup?.GridTotals(g, enrolledPerGrid.GetValueOrDefault(g), required)
                    ?? empty with { EnrolledMembers = enrolledPerGrid.GetValueOrDefault(g) }))],
            UpdatedAt = state.State.UpdatedAt.TryGetValue(season.SeasonId, out var updatedAt) ? updatedAt : null,
            Coverage = Coverage(season.SeasonId),
        };
    }

    public async Task<RosterPage> ListMembers(RosterQuery query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RequireCommunity();
        var season = await catalog.Require(query.SeasonId);
        _sortedMemberIds ??= [.. state.State.Roster.Keys.Order(StringComparer.Ordinal)];
        var ids = _sortedMemberIds;
        var start = 0;
        if (query.AfterMemberId is { } after)
        {
            var found = Array.BinarySearch(ids, after, StringComparer.Ordinal);
            start = found >= 0 ? found + 1 : ~found;
        }

        var contributions = _rollups.GetValueOrDefault(season.SeasonId)?.Members;
        var matching = query.GridId is null ? ids.Length : state.State.Roster.Values.Count(e => e.GridId == query.GridId);
        var page = ImmutableArray.CreateBuilder<RosterItem>(Math.Min(query.PageSize, 128));
        string? last = null;
        for (var i = start; i < ids.Length; i++)
        {
            var entry = state.State.Roster[ids[i]];
            if (query.GridId is not null && entry.GridId != query.GridId)
            {
                continue;
            }

            if (page.Count == query.PageSize)
            {
                last = page[^1].Entry.MemberId;
                break;
            }

            var c = contributions?.GetValueOrDefault(entry.MemberId);
            page.Add(c is null
                ? new RosterItem(entry, 0, 0, false, 0, null)
                : new RosterItem(entry, c.Points, Rules.Progress(c.CompletedRequiredLessons, season.RequiredLessons),
                    Rules.IsCompleted(c.CompletedRequiredLessons, season.RequiredLessons), c.CheckIns, c.LastActivityAt));
        }

        return new RosterPage(page.ToImmutable(), last, matching);
    }

    public async Task<Leaderboard> GetLeaderboard(string? seasonId, int top, string? memberId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RequireCommunity();
        var season = await catalog.Require(seasonId);
        var contributions = _rollups.GetValueOrDefault(season.SeasonId)?.Members;
        var ranked = state.State.Roster.Values
            .Select(e => (Entry: e, Points: contributions?.GetValueOrDefault(e.MemberId)?.Points ?? 0))
            .OrderByDescending(m => m.Points).ThenBy(m => m.Entry.MemberId, StringComparer.Ordinal)
            .ToArray();
        var leaders = ImmutableArray.CreateBuilder<LeaderboardEntry>(Math.Min(top, ranked.Length));
        LeaderboardEntry? member = null;
        var rank = 0;
        for (var i = 0; i < ranked.Length; i++)
        {
            if (i == 0 || ranked[i].Points != ranked[i - 1].Points)
            {
                rank = i + 1;
            }

            var entry = new LeaderboardEntry(rank, ranked[i].Entry.MemberId, ranked[i].Entry.Name, CommunityId, ranked[i].Entry.GridId, ranked[i].Points);
            if (i < top)
            {
                leaders.Add(entry);
            }

            if (entry.MemberId == memberId)
            {
                member = entry;
            }
        }

        if (memberId is not null && member is null)
        {
            throw ProgressException.NotFound("member_id", $"Member '{memberId}' is not on the roster of community '{CommunityId}'.");
        }

        return new Leaderboard(season.SeasonId, leaders.ToImmutable(), member, ranked.Length);
    }

    public Task<int> CountAhead(string seasonId, int points)
    {
        var contributions = _rollups.GetValueOrDefault(seasonId)?.Members;
        var ahead = contributions is null ? 0
            : state.State.Roster.Keys.Count(id => (contributions.GetValueOrDefault(id)?.Points ?? 0) > points);
        return Task.FromResult(ahead);
    }

    public async Task<ReflectionPage> ListReflections(string? seasonId, ReflectionStatus? status, int skip, int take, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RequireCommunity();
        var season = await catalog.Require(seasonId);
        var contributions = _rollups.GetValueOrDefault(season.SeasonId)?.Members;
        var all = (contributions?.Values ?? Enumerable.Empty<MemberContribution>())
            .Where(c => state.State.Roster.ContainsKey(c.MemberId))
            .SelectMany(c => c.Reflections.Select(r => new CommunityReflection(c.MemberId, state.State.Roster[c.MemberId].Name, r)))
            .Where(r => status is null || r.Reflection.Status == status)
            .OrderByDescending(r => r.Reflection.SubmittedAt).ThenBy(r => r.Reflection.ReflectionId)
            .ToArray();
        return new ReflectionPage([.. all.Skip(skip).Take(take)], all.Length);
    }

    public async Task<int> Reconcile()
    {
        var ids = state.State.Roster.Keys.ToArray();
        var answered = 0;
        var answeredIds = new List<string>(ids.Length);
        foreach (var chunk in ids.Chunk(Math.Max(1, options.Value.ReconcileConcurrency)))
        {
            var results = await Task.WhenAll(chunk.Select(Ask));
            for (var i = 0; i < chunk.Length; i++)
            {
                if (results[i] is not { } contributions)
                {
                    continue;
                }

                answered++;
                answeredIds.Add(chunk[i]);
                foreach (var contribution in contributions)
                {
                    if (contribution.Profile.CommunityId == CommunityId)
                    {
                        ApplyToRollup(contribution);
                    }
                }
            }
        }

        // Cases opened or closed by contributions since the last write were not stored: evaluate
        // the members again from what they answered (one who did not answer keeps their stored case).
        var now = time.GetUtcNow();
        foreach (var seasonId in _rollups.Keys.ToArray())
        {
            if (await catalog.Find(seasonId) is { } season)
            {
                foreach (var memberId in answeredIds)
                {
                    UpdateCase(season, memberId, now);
                }
            }
        }

        state.State.Complete = false;
        await WriteNow();
        return answered;

        async Task<ImmutableArray<MemberContribution>?> Ask(string memberId)
        {
            try
            {
                return await GrainFactory.GetGrain<IMemberGrain>(GrainKeys.Member(memberId)).GetContributions();
            }
            catch (Exception ex)
            {
                LogMemberUnreachable(logger, ex, CommunityId, memberId);
                return null;
            }
        }
    }

    /// <summary>Takes the contribution in if it is newer than the one held; true when it was.</summary>
    private bool ApplyToRollup(MemberContribution contribution)
    {
        if (!_rollups.TryGetValue(contribution.SeasonId, out var rollup))
        {
            var members = new Dictionary<string, MemberContribution>(StringComparer.Ordinal);
            state.State.Contributions[contribution.SeasonId] = members;
            rollup = new SeasonRollup(members, GridOf);
            _rollups[contribution.SeasonId] = rollup;
        }

        if (!rollup.Apply(contribution, GridOf(contribution.MemberId)))
        {
            return false;
        }

        state.State.UpdatedAt[contribution.SeasonId] = time.GetUtcNow();
        _dirty = true;
        return true;
    }

    private bool Upsert(RosterEntry entry)
    {
        if (state.State.Roster.TryGetValue(entry.MemberId, out var existing))
        {
            if (existing == entry)
            {
                return false;
            }

            foreach (var rollup in _rollups.Values)
            {
                rollup.MoveGrid(entry.MemberId, existing.GridId, entry.GridId);
            }
        }
        else
        {
            _sortedMemberIds = null;
        }

        state.State.Roster[entry.MemberId] = entry;
        _enrolledPerGrid = null;
        return true;
    }

    /// <summary>Members per grid, counted again only after the roster changed (a rollup read used to count the whole roster).</summary>
    private Dictionary<string, int> EnrolledPerGrid()
    {
        if (_enrolledPerGrid is null)
        {
            _enrolledPerGrid = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var entry in state.State.Roster.Values)
            {
                _enrolledPerGrid[entry.GridId] = _enrolledPerGrid.GetValueOrDefault(entry.GridId) + 1;
            }
        }

        return _enrolledPerGrid;
    }

    private string GridOf(string memberId) =>
        state.State.Roster.TryGetValue(memberId, out var entry) ? entry.GridId : "";

    private CommunityDefinition RequireCommunity() =>
        state.State.Definition
        ?? (state.State.Roster.Count > 0
            ? new CommunityDefinition(CommunityId, CommunityId, "", [])
            : throw ProgressException.NotFound("community_id", $"Community '{CommunityId}' does not exist."));

    private async Task FlushIfDirty(CancellationToken cancellationToken)
    {
        if (!_dirty)
        {
            return;
        }

        try
        {
            await WriteNow();
        }
        catch (ProgressException)
        {
            // Logged by WriteNow; the next tick tries again.
        }
    }

    /// <summary>Between writes, the outreach gauges follow the cases in memory (the write refreshes them too).</summary>
    private Task ReportIfDirty(CancellationToken cancellationToken) => _dirty ? ReportOutreach() : Task.CompletedTask;

    private async Task WriteNow()
    {
        try
        {
            _dirty = false;
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            _dirty = true;
            LogFlushFailed(logger, ex, CommunityId);
            if (ex is InconsistentStateException)
            {
                DeactivateOnIdle();
            }

            throw ProgressException.Unavailable($"Community '{CommunityId}' could not be saved; retry.");
        }

        // The outreach gauges follow what was written.
        await ReportOutreach();
    }

    /// <summary>Publishes the current season's outreach numbers to this silo's metrics.</summary>
    private async Task ReportOutreach()
    {
        if (state.State.Definition is not null && await catalog.Find(null) is { } current)
        {
            var coverage = Coverage(current.SeasonId);
            metrics.Outreach(CommunityId, coverage.AtRisk, coverage.InOutreach);
        }
    }

    private static RosterEntry ToRosterEntry(MemberProfile profile) =>
        new(profile.MemberId, profile.Name, profile.GridId, profile.Flags, profile.BirthYear);

    private static void RequireId(string id, string field)
    {
        if (Ids.Problem(id) is { } problem)
        {
            throw ProgressException.Invalid(field, $"{field} '{id}' {problem}.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Community {CommunityId} could not register with subdistrict {SubdistrictId}; will retry")]
    private static partial void LogRegistrationFailed(ILogger logger, Exception exception, string communityId, string subdistrictId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Community {CommunityId} rebuilt its rollup from {Answered} of {Enrolled} members after an unclean stop")]
    private static partial void LogRebuilt(ILogger logger, string communityId, int answered, int enrolled);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing community {CommunityId} failed; will retry")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, string communityId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Community {CommunityId} could not reach member {MemberId} while rebuilding")]
    private static partial void LogMemberUnreachable(ILogger logger, Exception exception, string communityId, string memberId);
}
