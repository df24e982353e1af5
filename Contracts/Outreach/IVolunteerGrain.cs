using System.Collections.Immutable;

namespace ProgressGrains.Contracts.Outreach;

/// <summary>A squad volunteer's assignments. Key: the volunteer id.</summary>
[Alias("pg.IVolunteerGrain")]
public interface IVolunteerGrain : IGrainWithStringKey
{
    /// <summary>Adds or reopens an assignment; the same assignment again changes nothing.</summary>
    [Alias("Assign")]
    Task Assign(Assignment assignment);

    /// <summary>Closes the assignment of a member (the member is back on pace, or reassigned).</summary>
    [Alias("Close")]
    Task Close(string communityId, string memberId, string seasonId, DateTimeOffset at);

    [ReadOnly, Alias("GetAssignments")]
    Task<ImmutableArray<Assignment>> GetAssignments();
}
