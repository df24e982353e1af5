using ProgressGrains.Contracts.Communities;
using ProgressGrains.Contracts.Members;

namespace ProgressGrains.Grains.Communities;

/// <summary>
/// The running sums of one season's contributions, per grid and per lesson. A contribution replaces
/// the member's previous one only when its version is higher, so applying the same contribution
/// twice, or an older one late, changes nothing.
/// </summary>
internal sealed class SeasonRollup
{
    private readonly Dictionary<string, MemberContribution> _members;
    private readonly Dictionary<string, Sums> _grids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _lessons = new(StringComparer.Ordinal);

    /// <param name="members">The season's contributions by member id; kept and updated in place (it is part of the grain state).</param>
    /// <param name="gridOf">The grid a member is counted under.</param>
    public SeasonRollup(Dictionary<string, MemberContribution> members, Func<string, string> gridOf)
    {
        _members = members;
        foreach (var contribution in members.Values)
        {
            Count(contribution, gridOf(contribution.MemberId), +1);
        }
    }

    public IReadOnlyDictionary<string, MemberContribution> Members => _members;

    /// <summary>Applies a contribution if it is newer than the one held; returns whether anything changed.</summary>
    public bool Apply(MemberContribution contribution, string gridId)
    {
        if (_members.TryGetValue(contribution.MemberId, out var held))
        {
            if (held.Version >= contribution.Version)
            {
                return false;
            }

            Count(held, gridId, -1);
        }

        _members[contribution.MemberId] = contribution;
        Count(contribution, gridId, +1);
        return true;
    }

    /// <summary>Takes a member's contribution out (they left the community).</summary>
    public void Remove(string memberId, string gridId)
    {
        if (_members.Remove(memberId, out var held))
        {
            Count(held, gridId, -1);
        }
    }

    /// <summary>Moves a member's counted contribution from one grid to another.</summary>
    public void MoveGrid(string memberId, string fromGrid, string toGrid)
    {
        if (fromGrid != toGrid && _members.TryGetValue(memberId, out var held))
        {
            Count(held, fromGrid, -1);
            Count(held, toGrid, +1);
        }
    }

    public int LessonCompletions(string lessonId) => _lessons.GetValueOrDefault(lessonId);

    public RollupTotals Totals(int enrolledMembers, int requiredLessons)
    {
        var all = new Sums();
        foreach (var sums in _grids.Values)
        {
            all.Add(sums, +1);
        }

        return all.ToTotals(enrolledMembers, requiredLessons);
    }

    public RollupTotals GridTotals(string gridId, int enrolledMembers, int requiredLessons) =>
        (_grids.GetValueOrDefault(gridId) ?? new Sums()).ToTotals(enrolledMembers, requiredLessons);

    private void Count(MemberContribution contribution, string gridId, int sign)
    {
        if (!_grids.TryGetValue(gridId, out var sums))
        {
            sums = new Sums();
            _grids[gridId] = sums;
        }

        sums.Completed += contribution.Completed ? sign : 0;
        sums.CompletedRequired += sign * contribution.CompletedRequiredLessons;
        sums.Points += sign * contribution.Points;
        sums.CheckIns += sign * contribution.CheckIns;
        sums.LessonCompletions += sign * contribution.CompletedLessonIds.Length;
        foreach (var lessonId in contribution.CompletedLessonIds)
        {
            _lessons[lessonId] = _lessons.GetValueOrDefault(lessonId) + sign;
        }
    }

    private sealed class Sums
    {
        public int Completed;
        public long CompletedRequired;
        public long Points;
        public long CheckIns;
        public long LessonCompletions;

        public void Add(Sums other, int sign)
        {
            Completed += sign * other.Completed;
            CompletedRequired += sign * other.CompletedRequired;
            Points += sign * other.Points;
            CheckIns += sign * other.CheckIns;
            LessonCompletions += sign * other.LessonCompletions;
        }

        public RollupTotals ToTotals(int enrolledMembers, int requiredLessons) =>
            new(enrolledMembers, Completed, CompletedRequired, requiredLessons, Points, CheckIns, LessonCompletions);
    }
}
