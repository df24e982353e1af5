using System.Collections.Immutable;
using ProgressGrains.Contracts.Outreach;

namespace ProgressGrains.Grains.Outreach;

[GenerateSerializer, Alias("pg.VolunteerState")]
internal sealed class VolunteerState
{
    [Id(0)] public List<Assignment> Assignments { get; set; } = [];
}

/// <summary>A squad volunteer: the members they are assigned to visit, open and closed.</summary>
internal sealed class VolunteerGrain(
    [PersistentState("volunteer", StorageNames.Progress)] IPersistentState<VolunteerState> state) : Grain, IVolunteerGrain
{
    public async Task Assign(Assignment assignment)
    {
        var index = state.State.Assignments.FindIndex(a => Same(a, assignment.CommunityId, assignment.MemberId, assignment.SeasonId));
        if (index >= 0 && state.State.Assignments[index].Open)
        {
            return;
        }

        if (index >= 0)
        {
            state.State.Assignments[index] = assignment;
        }
        else
        {
            state.State.Assignments.Add(assignment);
        }

        await state.WriteStateAsync();
    }

    public async Task Close(string communityId, string memberId, string seasonId, DateTimeOffset at)
    {
        var index = state.State.Assignments.FindIndex(a => Same(a, communityId, memberId, seasonId));
        if (index < 0 || !state.State.Assignments[index].Open)
        {
            return;
        }

        state.State.Assignments[index] = state.State.Assignments[index] with { Open = false, ClosedAt = at };
        await state.WriteStateAsync();
    }

    public Task<ImmutableArray<Assignment>> GetAssignments() =>
        Task.FromResult(state.State.Assignments.OrderByDescending(a => a.Open).ThenBy(a => a.AssignedAt).ToImmutableArray());

    private static bool Same(Assignment a, string communityId, string memberId, string seasonId) =>
        a.CommunityId == communityId && a.MemberId == memberId && a.SeasonId == seasonId;
}
