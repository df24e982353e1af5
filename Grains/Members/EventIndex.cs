using ProgressGrains.Contracts.Members;

namespace ProgressGrains.Grains.Members;

/// <summary>What an already-applied event did, found by its client event id.</summary>
internal readonly record struct AppliedEvent(string SeasonId, AppliedEventKind Kind, string Target, int Points);

internal enum AppliedEventKind
{
    Lesson,
    CheckIn,
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
            foreach (var lesson in season.Lessons)
            {
                index.Add(lesson.EventId, new AppliedEvent(seasonId, AppliedEventKind.Lesson, lesson.LessonId, lesson.Points));
            }

            foreach (var checkIn in season.CheckIns)
            {
                index.Add(checkIn.EventId, new AppliedEvent(seasonId, AppliedEventKind.CheckIn, checkIn.SiteId, checkIn.Points));
            }
        }

        return index;
    }

    public bool TryGet(Guid eventId, out AppliedEvent applied) => _events.TryGetValue(eventId, out applied);

    public void Add(Guid eventId, AppliedEvent applied) => _events[eventId] = applied;

    public void Remove(Guid eventId) => _events.Remove(eventId);

    public static string Describe(AppliedEvent applied) => applied.Kind switch
    {
        AppliedEventKind.Lesson => $"completing lesson '{applied.Target}' in season '{applied.SeasonId}'",
        _ => $"a check-in at site '{applied.Target}' in season '{applied.SeasonId}'",
    };
}
