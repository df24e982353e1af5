using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Communities;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Grains.Catalog;

namespace ProgressGrains.Grains.Members;

/// <summary>
/// One member. Writes are serialised by the grain (it is not reentrant), so two
/// <c>WriteStateAsync</c> calls never overlap. After each write the member sends its whole
/// contribution to its community; until the community has taken it, the grain retries on a timer.
/// </summary>
internal sealed partial class MemberGrain(
    [PersistentState("member", StorageNames.Progress)] IPersistentState<MemberState> state,
    SeasonCatalog catalog,
    TimeProvider time,
    ILogger<MemberGrain> logger) : Grain, IMemberGrain
{
    /// <summary>How far in the future a client clock may be before an event is refused.</summary>
    internal static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(5);

    private EventIndex _events = new();

    // The contributions as last written to storage, per season: what GetContributions answers,
    // even while a write is in flight.
    private readonly Dictionary<string, MemberContribution> _committed = new(StringComparer.Ordinal);

    // Seasons whose latest contribution the community has not confirmed in this activation.
    private readonly HashSet<string> _unpublished = new(StringComparer.Ordinal);
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
                _committed[seasonId] = BuildContribution(season);
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
        state.State.Profile = profile;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            state.State.Profile = previous;
            throw StorageFailed(ex);
        }
    }

    public Task<MemberProfile?> GetProfile() => Task.FromResult(state.State.Profile);

    public async Task<LessonResult> CompleteLesson(CompleteLessonCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RequireEnrolled();
        if (_events.TryGet(command.EventId, out var applied))
        {
            if (applied.Kind != AppliedEventKind.Lesson || applied.Target != command.LessonId)
            {
                throw EventIdReused(command.EventId, applied);
            }

            var original = state.State.Seasons[applied.SeasonId];
            var originalSeason = await catalog.Require(applied.SeasonId);
            await EnsurePublished(applied.SeasonId);
            return new LessonResult(command.EventId, Duplicate: true, applied.Points, AlreadyCompleted: false,
                original.Points, Rules.Progress(CountRequired(originalSeason, original), originalSeason.RequiredLessons));
        }

        var season = await catalog.Require(command.SeasonId);
        if (!season.Lessons.TryGetValue(command.LessonId, out var lesson))
        {
            throw ProgressException.NotFound("lesson_id",
                $"Lesson '{command.LessonId}' is not in season '{season.SeasonId}'; GET /v1/seasons/{season.SeasonId} lists its lessons.");
        }

        ValidateChannel(command);
        var now = time.GetUtcNow();
        var occurredAt = ValidateOccurredAt(command.OccurredAt, now);
        var seasonState = SeasonState(season.SeasonId);
        if (seasonState.Lessons.Exists(l => l.LessonId == lesson.LessonId))
        {
            await EnsurePublished(season.SeasonId);
            return new LessonResult(command.EventId, Duplicate: false, PointsAwarded: 0, AlreadyCompleted: true,
                seasonState.Points, Rules.Progress(CountRequired(season, seasonState), season.RequiredLessons));
        }

        var record = new LessonCompletionRecord(command.EventId, lesson.LessonId, command.Channel,
            string.IsNullOrEmpty(command.DeliveredBy) ? null : command.DeliveredBy, occurredAt, now, lesson.Points);
        await Apply(season, seasonState, s =>
        {
            s.Lessons.Add(record);
            s.Award(new LedgerEntry(command.EventId, lesson.Points, $"Completed lesson '{lesson.LessonId}' ({lesson.Title})", now), occurredAt);
        });
        _events.Add(command.EventId, new AppliedEvent(season.SeasonId, AppliedEventKind.Lesson, lesson.LessonId, lesson.Points));
        await Publish(season.SeasonId);

        return new LessonResult(command.EventId, Duplicate: false, lesson.Points, AlreadyCompleted: false,
            seasonState.Points, Rules.Progress(CountRequired(season, seasonState), season.RequiredLessons));
    }

    public async Task<CheckInResult> CheckIn(CheckInCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RequireEnrolled();
        if (_events.TryGet(command.EventId, out var applied))
        {
            if (applied.Kind != AppliedEventKind.CheckIn || applied.Target != command.SiteId)
            {
                throw EventIdReused(command.EventId, applied);
            }

            var original = state.State.Seasons[applied.SeasonId];
            await EnsurePublished(applied.SeasonId);
            return new CheckInResult(command.EventId, Duplicate: true, applied.Points, Counted: true, original.Points, original.CheckIns.Count);
        }

        var season = await catalog.Require(command.SeasonId);
        if (!season.Sites.TryGetValue(command.SiteId, out var site))
        {
            throw ProgressException.NotFound("site_id",
                $"Study site '{command.SiteId}' is not in season '{season.SeasonId}'; GET /v1/seasons/{season.SeasonId} lists its sites.");
        }

        var now = time.GetUtcNow();
        var occurredAt = ValidateOccurredAt(command.OccurredAt, now);
        var day = season.DayOf(occurredAt);
        var seasonState = SeasonState(season.SeasonId);
        if (seasonState.CheckIns.Exists(c => c.SiteId == site.SiteId && c.Day == day))
        {
            await EnsurePublished(season.SeasonId);
            return new CheckInResult(command.EventId, Duplicate: false, PointsAwarded: 0, Counted: false, seasonState.Points, seasonState.CheckIns.Count);
        }

        var points = season.Definition.Rules.CheckInPoints;
        await Apply(season, seasonState, s =>
        {
            s.CheckIns.Add(new CheckInRecord(command.EventId, site.SiteId, occurredAt, day, points));
            s.Award(new LedgerEntry(command.EventId, points, $"Checked in at '{site.SiteId}' ({site.Name}) on {day:yyyy-MM-dd}", now), occurredAt);
        });
        _events.Add(command.EventId, new AppliedEvent(season.SeasonId, AppliedEventKind.CheckIn, site.SiteId, points));
        await Publish(season.SeasonId);
        return new CheckInResult(command.EventId, Duplicate: false, points, Counted: true, seasonState.Points, seasonState.CheckIns.Count);
    }

    public async Task<MemberProgress> GetProgress(string? seasonId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var profile = RequireEnrolled();
        var season = await catalog.Require(seasonId);
        state.State.Seasons.TryGetValue(season.SeasonId, out var seasonState);
        return new MemberProgress
        {
            Profile = profile,
            SeasonId = season.SeasonId,
            Points = seasonState?.Points ?? 0,
            RequiredLessons = season.RequiredLessons,
            CompletedRequiredLessons = seasonState is null ? 0 : CountRequired(season, seasonState),
            Lessons = seasonState is null ? [] : [.. seasonState.Lessons],
            CheckIns = seasonState?.CheckIns.Count ?? 0,
            LastActivityAt = seasonState?.LastActivityAt,
        };
    }

    public async Task<LedgerPage> GetLedger(string? seasonId, int skip, int take, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RequireEnrolled();
        var season = await catalog.Require(seasonId);
        if (!state.State.Seasons.TryGetValue(season.SeasonId, out var seasonState))
        {
            return new LedgerPage(season.SeasonId, [], 0, 0);
        }

        var entries = seasonState.Ledger.Skip(skip).Take(take).ToImmutableArray();
        return new LedgerPage(season.SeasonId, entries, seasonState.Ledger.Count, seasonState.Points);
    }

    public Task<ImmutableArray<MemberContribution>> GetContributions() =>
        Task.FromResult(_committed.Values.ToImmutableArray());

    private MemberProfile RequireEnrolled() =>
        state.State.Profile ?? throw ProgressException.NotFound("member_id",
            $"Member '{MemberId}' is not enrolled; check the id, or import the member through the roster.");

    private MemberSeasonState SeasonState(string seasonId)
    {
        if (!state.State.Seasons.TryGetValue(seasonId, out var seasonState))
        {
            seasonState = new MemberSeasonState();
            state.State.Seasons[seasonId] = seasonState;
        }

        return seasonState;
    }

    /// <summary>Changes one season's state and writes it; on a failed write the change is undone and the activation retired.</summary>
    private async Task Apply(ResolvedSeason season, MemberSeasonState seasonState, Action<MemberSeasonState> change)
    {
        var checkpoint = (seasonState.Lessons.Count, seasonState.CheckIns.Count, seasonState.Ledger.Count,
            seasonState.Points, seasonState.LastActivityAt, state.State.Version);
        change(seasonState);
        state.State.Version++;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            seasonState.Lessons.RemoveRange(checkpoint.Item1, seasonState.Lessons.Count - checkpoint.Item1);
            seasonState.CheckIns.RemoveRange(checkpoint.Item2, seasonState.CheckIns.Count - checkpoint.Item2);
            seasonState.Ledger.RemoveRange(checkpoint.Item3, seasonState.Ledger.Count - checkpoint.Item3);
            seasonState.Points = checkpoint.Points;
            seasonState.LastActivityAt = checkpoint.LastActivityAt;
            state.State.Version = checkpoint.Version;
            throw StorageFailed(ex);
        }

        _committed[season.SeasonId] = BuildContribution(season);
        _unpublished.Add(season.SeasonId);
    }

    private ProgressException StorageFailed(Exception ex)
    {
        // The write may have reached storage even though it failed here; a fresh activation reads the truth.
        DeactivateOnIdle();
        LogWriteFailed(logger, ex, MemberId);
        return ProgressException.Unavailable("The member's state could not be saved; nothing was recorded. Retry with the same event_id.");
    }

    private MemberContribution BuildContribution(ResolvedSeason season)
    {
        var seasonState = state.State.Seasons[season.SeasonId];
        return new MemberContribution
        {
            Profile = state.State.Profile!,
            SeasonId = season.SeasonId,
            Version = state.State.Version,
            Points = seasonState.Points,
            CheckIns = seasonState.CheckIns.Count,
            RequiredLessons = season.RequiredLessons,
            CompletedRequiredLessons = CountRequired(season, seasonState),
            CompletedLessonIds = [.. seasonState.Lessons.Select(l => l.LessonId)],
            LastActivityAt = seasonState.LastActivityAt,
        };
    }

    private static int CountRequired(ResolvedSeason season, MemberSeasonState seasonState) =>
        season.CountRequired(seasonState.Lessons.Select(l => l.LessonId));

    private Task EnsurePublished(string seasonId) =>
        _unpublished.Contains(seasonId) ? Publish(seasonId) : Task.CompletedTask;

    /// <summary>
    /// Sends the season's committed contribution to the community. A failure does not fail the
    /// member's event (it is already durable): a timer sends it again until the community takes it.
    /// </summary>
    private async Task Publish(string seasonId)
    {
        if (!_committed.TryGetValue(seasonId, out var contribution) || state.State.Profile is not { } profile)
        {
            return;
        }

        try
        {
            await GrainFactory.GetGrain<ICommunityGrain>(GrainKeys.Community(profile.CommunityId)).Apply(contribution);
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

    private static void ValidateChannel(CompleteLessonCommand command)
    {
        var deliveredBy = command.DeliveredBy;
        switch (command.Channel)
        {
            case LessonChannel.HomeDelivery when string.IsNullOrEmpty(deliveredBy):
                throw ProgressException.Invalid("delivered_by", "delivered_by is required for CHANNEL_HOME_DELIVERY: the id of the volunteer who delivered the lesson.");
            case LessonChannel.Online when !string.IsNullOrEmpty(deliveredBy):
                throw ProgressException.Invalid("delivered_by", "delivered_by is only for CHANNEL_IN_PERSON and CHANNEL_HOME_DELIVERY; leave it empty for CHANNEL_ONLINE.");
            case LessonChannel.Online or LessonChannel.InPerson or LessonChannel.HomeDelivery:
                break;
            default:
                throw ProgressException.Invalid("channel", $"Unknown channel {(int)command.Channel}.");
        }

        if (!string.IsNullOrEmpty(deliveredBy) && Ids.Problem(deliveredBy) is { } problem)
        {
            throw ProgressException.Invalid("delivered_by", $"delivered_by '{deliveredBy}' {problem}.");
        }
    }

    private static DateTimeOffset ValidateOccurredAt(DateTimeOffset? occurredAt, DateTimeOffset now)
    {
        if (occurredAt is not { } at)
        {
            return now;
        }

        if (at > now + ClockSkewAllowance)
        {
            throw ProgressException.Invalid("occurred_at", $"occurred_at {at:O} is in the future (server time {now:O}); send the time the member acted, or leave it empty.");
        }

        if (at.Year < 2000)
        {
            throw ProgressException.Invalid("occurred_at", $"occurred_at {at:O} is before the year 2000; send the time the member acted, or leave it empty.");
        }

        return at.ToUniversalTime();
    }

    private static ProgressException EventIdReused(Guid eventId, AppliedEvent applied) =>
        new(ErrorKind.AlreadyExists, "event_id",
            $"event_id {eventId} was already used for {EventIndex.Describe(applied)}; generate a new UUID for each action and reuse it only to retry that action.");

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing member {MemberId} failed; the change was undone")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string memberId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Member {MemberId} could not reach community {CommunityId}; will retry")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string memberId, string communityId);
}
