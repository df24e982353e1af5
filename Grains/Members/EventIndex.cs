namespace ProgressGrains.Grains.Members;

/// <summary>What an already-applied event did, found by its client event id.</summary>
internal readonly record struct AppliedEvent(string SeasonId, AppliedEventKind Kind, string Target);

internal enum AppliedEventKind
{
    Lesson,
    CheckIn,
    Quiz,
    Reflection,
    Volunteering,
    Moderation,
}

/// <summary>Every event id a member has applied, rebuilt from state when the grain activates.</summary>
internal sealed class EventIndex
{
    private readonly Dictionary<Guid, AppliedEvent> _events = [];

    public static EventIndex Build(MemberState state)
    {
        var index = new EventIndex();
        foreach (var (seasonId, season) in state.Seasons)
        {
            season.Lessons.ForEach(l => index.Add(l.EventId, new(seasonId, AppliedEventKind.Lesson, l.LessonId)));
            season.CheckIns.ForEach(c => index.Add(c.EventId, new(seasonId, AppliedEventKind.CheckIn, c.SiteId)));
            season.QuizAttempts.ForEach(q => index.Add(q.EventId, new(seasonId, AppliedEventKind.Quiz, q.QuizId)));
            season.Volunteering.ForEach(v => index.Add(v.EventId, new(seasonId, AppliedEventKind.Volunteering, "")));
            foreach (var reflection in season.Reflections)
            {
                index.Add(reflection.EventId, new(seasonId, AppliedEventKind.Reflection, ""));
                foreach (var decision in reflection.History)
                {
                    index.Add(decision.EventId, new(seasonId, AppliedEventKind.Moderation, reflection.EventId.ToString()));
                }
            }
        }

        return index;
    }

    public bool TryGet(Guid eventId, out AppliedEvent applied) => _events.TryGetValue(eventId, out applied);

    public void Add(Guid eventId, AppliedEvent applied) => _events[eventId] = applied;

    public static string Describe(AppliedEvent applied) => applied.Kind switch
    {
        AppliedEventKind.Lesson => $"completing lesson '{applied.Target}' in season '{applied.SeasonId}'",
        AppliedEventKind.CheckIn => $"a check-in at site '{applied.Target}' in season '{applied.SeasonId}'",
        AppliedEventKind.Quiz => $"an attempt at quiz '{applied.Target}' in season '{applied.SeasonId}'",
        AppliedEventKind.Reflection => $"a reflection in season '{applied.SeasonId}'",
        AppliedEventKind.Volunteering => $"volunteer service in season '{applied.SeasonId}'",
        _ => $"a moderation decision on reflection {applied.Target}",
    };
}
