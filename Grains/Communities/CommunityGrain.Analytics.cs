using System.Collections.Immutable;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Communities;
using ProgressGrains.Contracts.Members;

namespace ProgressGrains.Grains.Communities;

/// <summary>Analysts' breakdowns, and members leaving for another community.</summary>
internal sealed partial class CommunityGrain
{
    public async Task Remove(string memberId, long lastVersion)
    {
        var departed = state.State.Departed.GetValueOrDefault(memberId, long.MinValue) < lastVersion;
        if (departed)
        {
            state.State.Departed[memberId] = lastVersion;
        }

        if (!state.State.Roster.Remove(memberId, out var entry))
        {
            if (departed)
            {
                await WriteNow();
            }

            return;
        }

        _sortedMemberIds = null;
        _enrolledPerGrid = null;
        foreach (var rollup in _rollups.Values)
        {
            rollup.Remove(memberId, entry.GridId);
        }

        var now = time.GetUtcNow();
        foreach (var (seasonId, cases) in state.State.Cases)
        {
            if (cases.Remove(memberId, out var removed) && removed.IsOpen && removed.VolunteerId is { } volunteerId)
            {
                _ = Release(volunteerId, memberId, seasonId, now);
            }
        }

        await WriteNow();
    }

    public async Task<CommunityAnalytics> GetAnalytics(string? seasonId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var community = RequireCommunity();
        var season = await catalog.Require(seasonId);
        var contributions = _rollups.GetValueOrDefault(season.SeasonId)?.Members ?? new Dictionary<string, MemberContribution>();
        var cases = state.State.Cases.GetValueOrDefault(season.SeasonId) ?? [];
        var activeSince = time.GetUtcNow() - ActiveWindow;
        var seasonYear = season.Definition.StartsAt.Year;
        var required = season.RequiredLessons;

        MemberCounts CountOf(RosterEntry member)
        {
            var contribution = contributions.GetValueOrDefault(member.MemberId);
            var outreach = cases.GetValueOrDefault(member.MemberId);
            return new MemberCounts
            {
                Enrolled = 1,
                Active = contribution?.LastActivityAt >= activeSince ? 1 : 0,
                Completed = contribution?.Completed == true ? 1 : 0,
                ProgressSum = Rules.Progress(contribution?.CompletedRequiredLessons ?? 0, required),
                Points = contribution?.Points ?? 0,
                CheckIns = contribution?.CheckIns ?? 0,
                AtRisk = outreach?.IsOpen == true ? 1 : 0,
                Reached = outreach?.Reached == true ? 1 : 0,
            };
        }

        var totals = MemberCounts.Zero;
        var grids = community.Grids.ToDictionary(g => g, _ => MemberCounts.Zero, StringComparer.Ordinal);
        var bands = AgeBands.All.ToDictionary(b => b, _ => MemberCounts.Zero, StringComparer.Ordinal);
        var lessons = season.Definition.Lessons.ToDictionary(l => l.LessonId, l => new LessonChannelCounts(l.LessonId, 0, 0, 0), StringComparer.Ordinal);
        var days = new SortedDictionary<DateOnly, (int Lessons, int Completed)>();
        foreach (var member in state.State.Roster.Values)
        {
            var counts = CountOf(member);
            totals = totals.Plus(counts);
            grids[member.GridId] = grids.GetValueOrDefault(member.GridId, MemberCounts.Zero).Plus(counts);
            var contribution = contributions.GetValueOrDefault(member.MemberId);
            var band = AgeBands.Of(member.BirthYear ?? contribution?.Profile.BirthYear, seasonYear);
            bands[band] = bands[band].Plus(counts);
            foreach (var lesson in contribution?.Lessons ?? [])
            {
                if (lessons.TryGetValue(lesson.LessonId, out var lessonCounts))
                {
                    lessons[lesson.LessonId] = lessonCounts.Add(lesson.Channel);
                }

                var day = season.DayOf(lesson.OccurredAt);
                var today = days.GetValueOrDefault(day);
                days[day] = (today.Lessons + 1, today.Completed);
            }

            if (contribution?.CompletedAt is { } completedAt)
            {
                var day = season.DayOf(completedAt);
                var today = days.GetValueOrDefault(day);
                days[day] = (today.Lessons, today.Completed + 1);
            }
        }

        return new CommunityAnalytics
        {
            Community = community,
            SeasonId = season.SeasonId,
            Totals = totals,
            Grids = [.. grids.Select(g => new KeyedCounts(g.Key, g.Value))],
            AgeBands = [.. bands.Select(b => new KeyedCounts(b.Key, b.Value))],
            Lessons = [.. lessons.Values],
            Days = [.. days.Select(d => new DayCounts(d.Key, d.Value.Lessons, d.Value.Completed))],
        };
    }
}
