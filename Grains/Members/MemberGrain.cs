using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Communities;
using ProgressGrains.Contracts.Identity;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Grains.Catalog;
using ProgressGrains.Grains.Communities;
using ProgressGrains.Grains.Telemetry;

namespace ProgressGrains.Grains.Members;

/// <summary>
/// One member. The grain is not reentrant, except for the calls other grains make from their own
/// turns, maybe while this member waits for them (<see cref="SetOutreachVolunteer"/>,
/// <see cref="GetProfile"/>, <see cref="GetContributions"/>). A change to the state and its write
/// happen under one gate, so two <c>WriteStateAsync</c> calls never overlap. The rules live in
/// <see cref="MemberActivities"/> and <see cref="PointsCalculator"/>; this class adds idempotency
/// by event id, persistence, and the contribution it sends its community after each write (retried
/// on a timer until taken).
/// </summary>
internal sealed partial class MemberGrain(
    [PersistentState("member", StorageNames.Progress)] IPersistentState<MemberState> state,
    SeasonCatalog catalog,
    ProgressClock time,
    ProgressMetrics metrics,
    ContributionRelay relay,
    ILogger<MemberGrain> logger) : Grain, IMemberGrain
{
    private EventIndex _events = new();

    // Per season: the totals of the stored facts, and the contribution as last written to storage
    // (what GetContributions answers, even while a write is in flight). Only the totals are kept:
    // the whole summary (awards per event, the ledger's decisions) was about 3 KB per member,
    // renewed on every event, and it was most of what each gen0 collection promoted.
    private readonly Dictionary<string, PointsTotals> _totals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MemberContribution> _committed = new(StringComparer.Ordinal);

    // Seasons whose latest contribution the community has not confirmed in this activation.
    private readonly HashSet<string> _unpublished = new(StringComparer.Ordinal);

    // Held from a change to the state until its write has finished (or been undone):
    // SetOutreachVolunteer interleaves with the other calls, and two writes never overlap.
    // Never held across a call to another grain, which could be waiting for this one.
    private readonly SemaphoreSlim _writing = new(1, 1);
    private IGrainTimer? _publishRetry;

    private string MemberId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _events = EventIndex.Build(state.State);
        foreach (var seasonId in state.State.Seasons.Keys)
        {
            // Whether the community saw the last write before this activation is unknown: send it again on the next event.
            _unpublished.Add(seasonId);
            if (await catalog.Find(seasonId) is { } season)
            {
                _committed[seasonId] = BuildContribution(season, Totals(season));
            }
        }
    }

    public async Task Enroll(MemberProfile profile)
    {
        if (profile.MemberId != MemberId)
        {
            throw ProgressException.Invalid("member_id", $"The profile is for member '{profile.MemberId}', not '{MemberId}'.");
        }

        if (state.State.Profile == profile)
        {
            return;
        }

        var previous = state.State.Profile;
        if (profile.OpenId is { } openId && openId != previous?.OpenId)
        {
            // Bound before the profile is written: an openid taken by another member refuses the
            // enrolment with nothing changed.
            await GrainFactory.GetGrain<IWeChatAccountGrain>(openId).Bind(MemberId);
        }

        if (previous is not null && previous.CommunityId != profile.CommunityId)
        {
            // Moving: out of the old community first. Should the write below fail, enrolling again
            // redoes both (removing an absent member changes nothing).
            await GrainFactory.GetGrain<ICommunityGrain>(GrainKeys.Community(previous.CommunityId)).Remove(MemberId, state.State.Version);
        }

        var moved = previous is not null && previous.CommunityId != profile.CommunityId;
        await _writing.WaitAsync();
        try
        {
            var previousVolunteer = state.State.OutreachVolunteerId;
            state.State.Profile = profile;
            state.State.Version++;
            if (moved)
            {
                // The old community's squad volunteer no longer visits: home deliveries wait for the new community to assign one.
                state.State.OutreachVolunteerId = null;
            }

            try
            {
                await state.WriteStateAsync();
            }
            catch (Exception ex)
            {
                state.State.Profile = previous;
                state.State.Version--;
                state.State.OutreachVolunteerId = previousVolunteer;
                throw StorageFailed(ex);
            }
        }
        finally
        {
            _writing.Release();
        }

        if (previous?.OpenId is { } oldOpenId && oldOpenId != profile.OpenId)
        {
            try
            {
                await GrainFactory.GetGrain<IWeChatAccountGrain>(oldOpenId).Release(MemberId);
            }
            catch (Exception ex)
            {
                // Sign-in also checks the profile's openid, so a stale binding signs no one in.
                LogReleaseFailed(logger, ex, MemberId);
            }
        }

        // The community (the new one, after a move) counts the member under their new profile:
        // new grid, age band, flags. A newer version, so it replaces what it held.
        foreach (var seasonId in state.State.Seasons.Keys)
        {
            if (await catalog.Find(seasonId) is { } season)
            {
                _committed[seasonId] = BuildContribution(season, Totals(season));
                _unpublished.Add(seasonId);
                await Publish(seasonId);
            }
        }
    }

    public Task<MemberProfile?> GetProfile() => Task.FromResult(state.State.Profile);

    public async Task SetOutreachVolunteer(string? volunteerId)
    {
        RequireEnrolled();
        await _writing.WaitAsync();
        try
        {
            if (state.State.OutreachVolunteerId == volunteerId)
            {
                return;
            }

            var previous = state.State.OutreachVolunteerId;
            state.State.OutreachVolunteerId = volunteerId;
            try
            {
                await state.WriteStateAsync();
            }
            catch (Exception ex)
            {
                state.State.OutreachVolunteerId = previous;
                throw StorageFailed(ex);
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    public Task<LessonResult> CompleteLesson(CompleteLessonCommand command, CancellationToken cancellationToken) =>
        Handle(command.EventId, AppliedEventKind.Lesson, command.LessonId, command.SeasonId, cancellationToken,
            (facts, season, now) =>
            {
                if (command.Channel == LessonChannel.HomeDelivery && command.DeliveredBy != state.State.OutreachVolunteerId)
                {
                    throw new ProgressException(ErrorKind.PermissionDenied, "delivered_by", state.State.OutreachVolunteerId is null
                        ? $"No squad volunteer is assigned to member '{MemberId}'; a community admin assigns one before a home delivery is recorded."
                        : $"Only the volunteer assigned to member '{MemberId}' may record a home delivery; '{command.DeliveredBy}' is not.");
                }

                return MemberActivities.CompleteLesson(facts, season, command, now);
            },
            (r, season, facts, summary) => new LessonResult(command.EventId, r.Duplicate, summary.AwardedByEvent.GetValueOrDefault(command.EventId),
                !summary.Counted.Contains(command.EventId), summary.Total, Rules.Progress(CountRequired(season, facts), season.RequiredLessons)));

    public Task<CheckInResult> CheckIn(CheckInCommand command, CancellationToken cancellationToken) =>
        Handle(command.EventId, AppliedEventKind.CheckIn, command.SiteId, command.SeasonId, cancellationToken,
            (facts, season, now) => MemberActivities.CheckIn(facts, season, command, now),
            (r, _, facts, summary) => new CheckInResult(command.EventId, r.Duplicate, summary.AwardedByEvent.GetValueOrDefault(command.EventId),
                summary.Counted.Contains(command.EventId), summary.Total, MemberActivities.CountedCheckIns(facts)));

    public Task<ActivityResult> AttemptQuiz(QuizAttemptCommand command, CancellationToken cancellationToken) =>
        Handle(command.EventId, AppliedEventKind.Quiz, command.QuizId, command.SeasonId, cancellationToken,
            (facts, season, now) => MemberActivities.AttemptQuiz(facts, season, command, now), ActivityReply(command.EventId));

    public Task<ActivityResult> SubmitReflection(ReflectionCommand command, CancellationToken cancellationToken) =>
        Handle(command.EventId, AppliedEventKind.Reflection, "", command.SeasonId, cancellationToken,
            (facts, season, now) => MemberActivities.SubmitReflection(facts, season, command, now), ActivityReply(command.EventId));

    public Task<ActivityResult> Volunteer(VolunteerCommand command, CancellationToken cancellationToken) =>
        Handle(command.EventId, AppliedEventKind.Volunteering, "", command.SeasonId, cancellationToken,
            (facts, season, now) => MemberActivities.Volunteer(facts, season, command, now), ActivityReply(command.EventId));

    public async Task<ActivityResult> ModerateReflection(ModerateReflectionCommand command, CancellationToken cancellationToken)
    {
        var seasonId = _events.TryGet(command.ReflectionId, out var reflection) && reflection.Kind == AppliedEventKind.Reflection
            ? reflection.SeasonId
            : throw ProgressException.NotFound("reflection_id", $"Member '{MemberId}' has no reflection {command.ReflectionId}.");
        var before = 0;
        return await Handle(command.EventId, AppliedEventKind.Moderation, command.ReflectionId.ToString(), seasonId, cancellationToken,
            (facts, season, now) =>
            {
                before = Totals(season).Total;
                return MemberActivities.Moderate(facts, season, command, now);
            },
            (r, _, _, summary) => new ActivityResult(command.EventId, r.Duplicate, r.Duplicate ? 0 : summary.Total - before, summary.Total, r.Outcome.Note));
    }

    public async Task<ActivityResult> VoidEvent(VoidEventCommand command, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = ProgressMetrics.Outcomes.Failed;
        try
        {
            var result = await VoidEventCore(command, cancellationToken);
            outcome = result.Duplicate ? ProgressMetrics.Outcomes.Duplicate : ProgressMetrics.Outcomes.Applied;
            return result;
        }
        catch (ProgressException refusal) when (refusal.Kind != ErrorKind.Unavailable)
        {
            outcome = ProgressMetrics.Outcomes.Rejected;
            throw;
        }
        finally
        {
            metrics.EventHandled(VoidTag, outcome, Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task<ActivityResult> VoidEventCore(VoidEventCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RequireEnrolled();
        if (!_events.TryGet(command.EventId, out var target) || target.Kind == AppliedEventKind.Moderation)
        {
            throw ProgressException.NotFound("event_id", target.Kind == AppliedEventKind.Moderation
                ? $"Event {command.EventId} is a moderation decision; void the reflection instead."
                : $"Member '{MemberId}' has no event {command.EventId}.");
        }

        var season = await catalog.Require(target.SeasonId);
        var current = state.State.Seasons[season.SeasonId];
        var before = Totals(season).Total;
        var working = current.Copy();
        var outcome = MemberActivities.Void(working, command, time.GetUtcNow());
        if (outcome.Changed)
        {
            await Commit(season, current, working, VoidTag);
        }
        else
        {
            await EnsurePublished(season.SeasonId);
        }

        var after = Totals(season).Total;
        return new ActivityResult(command.EventId, !outcome.Changed, after - before, after, outcome.Note);
    }

    public async Task<MemberProgress> GetProgress(string? seasonId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var profile = RequireEnrolled();
        var season = await catalog.Require(seasonId);
        var facts = state.State.Seasons.GetValueOrDefault(season.SeasonId) ?? new MemberSeasonState();
        var summary = Totals(season);
        return new MemberProgress
        {
            Profile = profile,
            SeasonId = season.SeasonId,
            Points = summary.Total,
            RequiredLessons = season.RequiredLessons,
            CompletedRequiredLessons = CountRequired(season, facts),
            Lessons = MemberActivities.Completions(facts),
            CheckIns = MemberActivities.CountedCheckIns(facts),
            LastActivityAt = summary.LastActivityAt,
            Reflections = MemberContributions.Reflections(facts),
            QuizAttempts = facts.QuizAttempts.Count(q => !facts.IsVoided(q.EventId)),
            VolunteerHours = facts.Volunteering.Where(v => !facts.IsVoided(v.EventId)).Sum(v => v.Hours),
            CurrentStreak = summary.CurrentStreak,
            LongestStreak = summary.LongestStreak,
        };
    }

    public async Task<LedgerPage> GetLedger(string? seasonId, int skip, int take, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RequireEnrolled();
        var season = await catalog.Require(seasonId);
        if (!state.State.Seasons.TryGetValue(season.SeasonId, out var facts))
        {
            return new LedgerPage(season.SeasonId, [], 0, 0);
        }

        var summary = Summarize(season, facts);
        return new LedgerPage(season.SeasonId, [.. summary.Ledger.Skip(skip).Take(take)], summary.Ledger.Length, summary.Total);
    }

    public Task<ImmutableArray<MemberContribution>> GetContributions() =>
        Task.FromResult(_committed.Values.ToImmutableArray());

    private const string VoidTag = "void";

    /// <summary>Metric tags per <see cref="AppliedEventKind"/>, allocated once.</summary>
    private static readonly string[] KindTags = ["lesson", "check_in", "quiz", "reflection", "volunteering", "moderation"];

    private readonly record struct Handled(Outcome Outcome, bool Duplicate);

    /// <summary>
    /// The common path of every activity: a known event id answers as a duplicate (or is refused
    /// when it was used for something else); otherwise the rule runs on a copy of the season's
    /// facts, which replaces them only once written.
    /// </summary>
    private async Task<TResult> Handle<TResult>(
        Guid eventId, AppliedEventKind kind, string target, string? seasonId, CancellationToken cancellationToken,
        Func<MemberSeasonState, ResolvedSeason, DateTimeOffset, Outcome> apply,
        Func<Handled, ResolvedSeason, MemberSeasonState, PointsSummary, TResult> reply)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = ProgressMetrics.Outcomes.Failed;
        try
        {
            var (result, handled) = await HandleCore(eventId, kind, target, seasonId, cancellationToken, apply, reply);
            outcome = handled;
            return result;
        }
        catch (ProgressException refusal) when (refusal.Kind != ErrorKind.Unavailable)
        {
            outcome = ProgressMetrics.Outcomes.Rejected;
            throw;
        }
        finally
        {
            metrics.EventHandled(KindTags[(int)kind], outcome, Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task<(TResult Result, string Outcome)> HandleCore<TResult>(
        Guid eventId, AppliedEventKind kind, string target, string? seasonId, CancellationToken cancellationToken,
        Func<MemberSeasonState, ResolvedSeason, DateTimeOffset, Outcome> apply,
        Func<Handled, ResolvedSeason, MemberSeasonState, PointsSummary, TResult> reply)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RequireEnrolled();
        if (_events.TryGet(eventId, out var applied))
        {
            if (applied.Kind != kind || applied.Target != target)
            {
                throw new ProgressException(ErrorKind.AlreadyExists, "event_id",
                    $"event_id {eventId} was already used for {EventIndex.Describe(applied)}; generate a new UUID for each action and reuse it only to retry that action.");
            }

            var originalSeason = await catalog.Require(applied.SeasonId);
            var original = state.State.Seasons[applied.SeasonId];
            await EnsurePublished(applied.SeasonId);
            return (reply(new Handled(new Outcome(false), true), originalSeason, original, Summarize(originalSeason, original)), ProgressMetrics.Outcomes.Duplicate);
        }

        var season = await catalog.Require(seasonId);
        var current = state.State.Seasons.GetValueOrDefault(season.SeasonId) ?? new MemberSeasonState();
        var working = current.Copy();
        var outcome = apply(working, season, time.GetUtcNow());
        PointsSummary summary;
        if (outcome.Changed)
        {
            summary = await Commit(season, current, working, KindTags[(int)kind]);
            _events.Add(eventId, new AppliedEvent(season.SeasonId, kind, target));
        }
        else
        {
            await EnsurePublished(season.SeasonId);
            working = current;
            summary = Summarize(season, current);
        }

        return (reply(new Handled(outcome, false), season, working, summary),
            outcome.Changed ? ProgressMetrics.Outcomes.Applied : ProgressMetrics.Outcomes.Unchanged);
    }

    private Func<Handled, ResolvedSeason, MemberSeasonState, PointsSummary, ActivityResult> ActivityReply(Guid eventId) =>
        (r, _, _, summary) => new ActivityResult(eventId, r.Duplicate, summary.AwardedByEvent.GetValueOrDefault(eventId), summary.Total, r.Outcome.Note);

    /// <summary>
    /// Makes <paramref name="changed"/> the season's facts and writes them; on a failed write the
    /// old facts stay. Returns the summary of the new facts (for the reply).
    /// </summary>
    private async Task<PointsSummary> Commit(ResolvedSeason season, MemberSeasonState previous, MemberSeasonState changed, string kind)
    {
        var pointsBefore = state.State.Seasons.ContainsKey(season.SeasonId) ? Totals(season).Total : 0;
        var existed = state.State.Seasons.ContainsKey(season.SeasonId);
        await _writing.WaitAsync();
        try
        {
            state.State.Seasons[season.SeasonId] = changed;
            state.State.Version++;
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            if (existed)
            {
                state.State.Seasons[season.SeasonId] = previous;
            }
            else
            {
                state.State.Seasons.Remove(season.SeasonId);
            }

            state.State.Version--;
            throw StorageFailed(ex);
        }
        finally
        {
            _writing.Release();
        }

        var summary = Summarize(season, changed);
        var totals = PointsTotals.Of(summary);
        _totals[season.SeasonId] = totals;
        var contribution = BuildContribution(season, totals);
        _committed[season.SeasonId] = contribution;
        metrics.PointsChanged(kind, contribution.Points - pointsBefore);
        _unpublished.Add(season.SeasonId);
        await Publish(season.SeasonId);
        return summary;
    }

    private static PointsSummary Summarize(ResolvedSeason season, MemberSeasonState facts) =>
        PointsCalculator.Compute(facts, season.Definition.Rules, season.Zone);

    /// <summary>The totals of the season's stored facts (none yet: zero), computed once per change.</summary>
    private PointsTotals Totals(ResolvedSeason season)
    {
        if (!_totals.TryGetValue(season.SeasonId, out var totals))
        {
            totals = PointsTotals.Of(Summarize(season, state.State.Seasons.GetValueOrDefault(season.SeasonId) ?? new MemberSeasonState()));
            _totals[season.SeasonId] = totals;
        }

        return totals;
    }

    private MemberProfile RequireEnrolled() =>
        state.State.Profile ?? throw ProgressException.NotFound("member_id",
            $"Member '{MemberId}' is not enrolled; check the id, or import the member through the roster.");

    private ProgressException StorageFailed(Exception ex)
    {
        // The write may have reached storage even though it failed here; a fresh activation reads the truth.
        DeactivateOnIdle();
        LogWriteFailed(logger, ex, MemberId);
        return ProgressException.Unavailable("The member's state could not be saved; nothing was recorded. Retry with the same event_id.");
    }

    private MemberContribution BuildContribution(ResolvedSeason season, PointsTotals totals) =>
        MemberContributions.Build(state.State, season, totals, DateTimeOffset.UtcNow);

    private static int CountRequired(ResolvedSeason season, MemberSeasonState facts) =>
        season.CountRequired(MemberActivities.CompletedLessons(facts));

    private Task EnsurePublished(string seasonId) =>
        _unpublished.Contains(seasonId) ? Publish(seasonId) : Task.CompletedTask;

    /// <summary>
    /// Sends the season's committed contribution to the community, together with other members'
    /// (the silo's <see cref="ContributionRelay"/>). A failure does not fail the member's event (it
    /// is already durable): a timer sends it again until the community takes it.
    /// </summary>
    private async Task Publish(string seasonId)
    {
        if (!_committed.TryGetValue(seasonId, out var contribution) || state.State.Profile is not { } profile)
        {
            return;
        }

        try
        {
            await relay.Send(profile.CommunityId, contribution);
            if (_committed.TryGetValue(seasonId, out var latest) && latest.Version == contribution.Version)
            {
                _unpublished.Remove(seasonId);
            }
        }
        catch (Exception ex)
        {
            LogPublishFailed(logger, ex, MemberId, profile.CommunityId);
            _publishRetry ??= this.RegisterGrainTimer(RetryPublish, new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)));
        }
    }

    private async Task RetryPublish(CancellationToken cancellationToken)
    {
        foreach (var seasonId in _unpublished.ToArray())
        {
            await Publish(seasonId);
        }

        if (_unpublished.Count == 0)
        {
            _publishRetry?.Dispose();
            _publishRetry = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Member {MemberId} could not release their previous openid; it stays bound until released")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string memberId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing member {MemberId} failed; the change was undone")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string memberId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Member {MemberId} could not reach community {CommunityId}; will retry")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string memberId, string communityId);
}
