using System.Collections.Immutable;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Grains.Catalog;

namespace ProgressGrains.Grains.Members;

/// <summary>Whether an accepted command changed the member's facts.</summary>
internal readonly record struct Outcome(bool Changed, string? Note = null)
{
    public static Outcome Applied => new(true);

    public static Outcome NoEffect(string note) => new(false, note);
}

/// <summary>
/// The rules for each kind of activity, as pure functions over a season's facts: each one checks
/// its command, refusing bad input before changing anything, then records the fact or reports that
/// it has no effect. Event-id idempotency is the caller's (the grain's <see cref="EventIndex"/>).
/// </summary>
internal static class MemberActivities
{
    /// <summary>How far in the future a client clock may be before an event is refused.</summary>
    public static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(5);

    public static Outcome CompleteLesson(MemberSeasonState facts, ResolvedSeason season, CompleteLessonCommand command, DateTimeOffset now)
    {
        if (!season.Lessons.TryGetValue(command.LessonId, out var lesson))
        {
            throw ProgressException.NotFound("lesson_id",
                $"Lesson '{command.LessonId}' is not in season '{season.SeasonId}'; GET /v1/seasons/{season.SeasonId} lists its lessons.");
        }

        ValidateChannel(command);
        var occurredAt = Occurred(command.OccurredAt, now);

        // Every completion is kept; the earliest one counts (PointsCalculator), whatever order they arrive in.
        facts.Lessons.Add(new LessonCompletionRecord(command.EventId, lesson.LessonId, command.Channel,
            string.IsNullOrEmpty(command.DeliveredBy) ? null : command.DeliveredBy, occurredAt, now, lesson.Points));
        return Outcome.Applied;
    }

    public static Outcome CheckIn(MemberSeasonState facts, ResolvedSeason season, CheckInCommand command, DateTimeOffset now)
    {
        if (!season.Sites.TryGetValue(command.SiteId, out var site))
        {
            throw ProgressException.NotFound("site_id",
                $"Study site '{command.SiteId}' is not in season '{season.SeasonId}'; GET /v1/seasons/{season.SeasonId} lists its sites.");
        }

        var occurredAt = Occurred(command.OccurredAt, now);
        var day = season.DayOf(occurredAt);

        // Every check-in is kept; the earliest one per site and day counts (PointsCalculator).
        facts.CheckIns.Add(new CheckInRecord(command.EventId, site.SiteId, occurredAt, day, season.Definition.Rules.CheckInPoints));
        return Outcome.Applied;
    }

    public static Outcome AttemptQuiz(MemberSeasonState facts, ResolvedSeason season, QuizAttemptCommand command, DateTimeOffset now)
    {
        if (!season.Quizzes.TryGetValue(command.QuizId, out var quiz))
        {
            throw ProgressException.NotFound("quiz_id",
                $"Quiz '{command.QuizId}' is not in season '{season.SeasonId}'; GET /v1/seasons/{season.SeasonId} lists its quizzes.");
        }

        if (command.MaxScore <= 0)
        {
            throw ProgressException.Invalid("max_score", $"max_score must be positive (got {command.MaxScore}).");
        }

        if (command.Score < 0 || command.Score > command.MaxScore)
        {
            throw ProgressException.Invalid("score", $"score must be between 0 and max_score {command.MaxScore} (got {command.Score}).");
        }

        var occurredAt = Occurred(command.OccurredAt, now);
        var value = (int)((long)quiz.Points * command.Score / command.MaxScore);
        facts.QuizAttempts.Add(new QuizAttemptRecord(command.EventId, quiz.QuizId, command.Score, command.MaxScore, value, occurredAt));
        return Outcome.Applied;
    }

    public static Outcome SubmitReflection(MemberSeasonState facts, ResolvedSeason season, ReflectionCommand command, DateTimeOffset now)
    {
        var rules = season.Definition.Rules;
        var text = command.Text.Trim();
        if (text.Length < rules.ReflectionMinLength || text.Length > rules.ReflectionMaxLength)
        {
            throw ProgressException.Invalid("text",
                $"A reflection must be {rules.ReflectionMinLength} to {rules.ReflectionMaxLength} characters long (got {text.Length}).");
        }

        var occurredAt = Occurred(command.OccurredAt, now);
        facts.Reflections.Add(new ReflectionRecord(command.EventId, text, occurredAt, ReflectionStatus.Pending, []));
        return new Outcome(true, "submitted; it earns points once a community admin approves it");
    }

    public static Outcome Volunteer(MemberSeasonState facts, ResolvedSeason season, VolunteerCommand command, DateTimeOffset now)
    {
        var rules = season.Definition.Rules;
        var activity = command.Activity.Trim();
        if (activity.Length is 0 or > 100)
        {
            throw ProgressException.Invalid("activity", "activity must say what was done, in 1 to 100 characters.");
        }

        if (!double.IsFinite(command.Hours) || command.Hours <= 0 || command.Hours > rules.MaxVolunteerHoursPerEvent)
        {
            throw ProgressException.Invalid("hours", $"hours must be more than 0 and at most {rules.MaxVolunteerHoursPerEvent} per report (got {command.Hours}).");
        }

        var occurredAt = Occurred(command.OccurredAt, now);
        var points = (int)Math.Floor(command.Hours * rules.VolunteerPointsPerHour);
        facts.Volunteering.Add(new VolunteerRecord(command.EventId, activity, command.Hours, occurredAt, points));
        return Outcome.Applied;
    }

    public static Outcome Moderate(MemberSeasonState facts, ResolvedSeason season, ModerateReflectionCommand command, DateTimeOffset now)
    {
        var index = facts.Reflections.FindIndex(r => r.EventId == command.ReflectionId);
        if (index < 0)
        {
            throw ProgressException.NotFound("reflection_id", $"The member has no reflection {command.ReflectionId} in season '{season.SeasonId}'.");
        }

        var reflection = facts.Reflections[index];
        if (facts.IsVoided(reflection.EventId))
        {
            throw new ProgressException(ErrorKind.FailedPrecondition, "reflection_id", $"Reflection {reflection.EventId} was voided; it can no longer be moderated.");
        }

        var rules = season.Definition.Rules;
        var (status, points) = (command.Decision, reflection.Status) switch
        {
            (ModerationDecision.Approve, ReflectionStatus.Pending or ReflectionStatus.Rejected) => (ReflectionStatus.Approved, rules.ReflectionPoints),
            (ModerationDecision.Reject, ReflectionStatus.Pending) => (ReflectionStatus.Rejected, 0),
            (ModerationDecision.Feature, ReflectionStatus.Approved) => (ReflectionStatus.Featured, rules.FeaturedReflectionBonus),
            (ModerationDecision.Feature, ReflectionStatus.Pending or ReflectionStatus.Rejected) => (ReflectionStatus.Featured, rules.ReflectionPoints + rules.FeaturedReflectionBonus),
            _ => throw new ProgressException(ErrorKind.FailedPrecondition, "decision",
                $"Reflection {reflection.EventId} is {reflection.Status.ToString().ToLowerInvariant()}; it cannot be {Past(command.Decision)}."),
        };

        facts.Reflections[index] = reflection with
        {
            Status = status,
            History = reflection.History.Add(new ModerationRecord(command.EventId, command.Decision, command.ModeratorId, now, points)),
        };
        return Outcome.Applied;
    }

    /// <summary>Voids an event of this season: it stops counting, and what it earned is reversed.</summary>
    public static Outcome Void(MemberSeasonState facts, VoidEventCommand command, DateTimeOffset now)
    {
        if (facts.IsVoided(command.EventId))
        {
            return Outcome.NoEffect("already voided");
        }

        var reason = command.Reason.Trim();
        if (reason.Length is 0 or > 200)
        {
            throw ProgressException.Invalid("reason", "reason must say why the event is voided, in 1 to 200 characters.");
        }

        facts.Voids.Add(new VoidRecord(command.EventId, reason, command.ActorId, now));
        return Outcome.Applied;
    }

    /// <summary>The lessons completed (by a completion not voided), each with its earliest completion, in completion order.</summary>
    public static ImmutableArray<LessonCompletionRecord> Completions(MemberSeasonState facts) =>
        [.. facts.Lessons.Where(l => !facts.IsVoided(l.EventId))
            .OrderBy(l => l.OccurredAt).ThenBy(l => l.EventId)
            .DistinctBy(l => l.LessonId)];

    public static ImmutableArray<string> CompletedLessons(MemberSeasonState facts) => [.. Completions(facts).Select(l => l.LessonId)];

    /// <summary>Check-ins that count: one per site per calendar day, not voided.</summary>
    public static int CountedCheckIns(MemberSeasonState facts) =>
        facts.CheckIns.Where(c => !facts.IsVoided(c.EventId)).Select(c => (c.SiteId, c.Day)).Distinct().Count();

    public static DateTimeOffset Occurred(DateTimeOffset? occurredAt, DateTimeOffset now)
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

    private static string Past(ModerationDecision decision) => decision switch
    {
        ModerationDecision.Approve => "approved",
        ModerationDecision.Reject => "rejected",
        _ => "featured",
    };
}
