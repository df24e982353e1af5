using ProgressGrains.Contracts.Members;

namespace ProgressGrains.Grains.Members;

/// <summary>A member's durable state: the profile and, per season, every event that counted.</summary>
[GenerateSerializer, Alias("pg.MemberState")]
internal sealed class MemberState
{
    [Id(0)] public MemberProfile? Profile { get; set; }

    /// <summary>Bumped on every applied event; communities keep the highest version they saw.</summary>
    [Id(1)] public long Version { get; set; }

    [Id(2)] public Dictionary<string, MemberSeasonState> Seasons { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The squad volunteer assigned to this member, who alone may record home deliveries.</summary>
    [Id(3)] public string? OutreachVolunteerId { get; set; }
}

/// <summary>
/// The facts of one season: what the member did and what admins decided, each with the points it
/// was worth when it happened. Points, caps, streaks and the ledger are derived from these
/// (<see cref="PointsCalculator"/>), so the same facts always give the same points, whatever order
/// they arrived in.
/// </summary>
[GenerateSerializer, Alias("pg.MemberSeasonState")]
internal sealed class MemberSeasonState
{
    [Id(0)] public List<LessonCompletionRecord> Lessons { get; set; } = [];
    [Id(1)] public List<CheckInRecord> CheckIns { get; set; } = [];

    // Ids 2 to 4 held the stored ledger, points and last activity before they were derived.
    [Id(5)] public List<QuizAttemptRecord> QuizAttempts { get; set; } = [];
    [Id(6)] public List<ReflectionRecord> Reflections { get; set; } = [];
    [Id(7)] public List<VolunteerRecord> Volunteering { get; set; } = [];
    [Id(8)] public List<VoidRecord> Voids { get; set; } = [];

    public bool IsVoided(Guid eventId)
    {
        // A loop, not a lambda: this runs for every fact on every event, and a closure per call added up.
        foreach (var voided in Voids)
        {
            if (voided.EventId == eventId)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A copy whose lists can be changed without touching this one (the records are immutable).</summary>
    public MemberSeasonState Copy() => new()
    {
        Lessons = [.. Lessons],
        CheckIns = [.. CheckIns],
        QuizAttempts = [.. QuizAttempts],
        Reflections = [.. Reflections],
        Volunteering = [.. Volunteering],
        Voids = [.. Voids],
    };
}
