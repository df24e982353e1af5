using ProgressGrains.Api.V1;

namespace ProgressGrains.Cluster.Tests;

/// <summary>Checks a cluster's state against what clients were told, and rollups against a recount.</summary>
public static class ClusterVerification
{
    private static DateTime Deadline => DateTime.UtcNow.AddSeconds(30);

    /// <summary>How many acknowledged events were found exactly once in their member's ledger; fails on any missing or repeated.</summary>
    public static async Task<int> AcknowledgedEventsAreStoredOnce(MemberService.MemberServiceClient members, IEnumerable<CheckInLoad.Event> acknowledged)
    {
        var found = 0;
        foreach (var group in acknowledged.GroupBy(e => e.MemberId))
        {
            var ledger = new List<LedgerEntry>();
            var token = "";
            do
            {
                var page = await members.ListMemberLedgerAsync(new ListMemberLedgerRequest { MemberId = group.Key, PageSize = 1000, PageToken = token }, deadline: Deadline);
                ledger.AddRange(page.Entries);
                token = page.NextPageToken;
            }
            while (!string.IsNullOrEmpty(token));

            // Check-ins only: streak bonuses have no event id, and a void adds a reversal to its event.
            var counts = ledger.Where(e => e.Kind == ActivityKind.CheckIn).GroupBy(e => e.EventId).ToDictionary(g => g.Key, g => g.Count());
            Assert.All(counts, c => Assert.True(c.Value == 1, $"event {c.Key} of {group.Key} is in the ledger {c.Value} times"));
            foreach (var e in group)
            {
                Assert.True(counts.ContainsKey(e.EventId.ToString()), $"acknowledged event {e.EventId} of {e.MemberId} is missing");
                found++;
            }
        }

        return found;
    }

    /// <summary>Waits (up to a minute) until every community's rollup equals a recount of its members' own state.</summary>
    public static async Task RollupsEqualRecount(CommunityService.CommunityServiceClient communities, MemberService.MemberServiceClient members, IEnumerable<string> communityIds)
    {
        foreach (var communityId in communityIds)
        {
            string? difference = null;
            for (var attempt = 0; attempt < 60; attempt++)
            {
                difference = await Compare(communities, members, communityId);
                if (difference is null)
                {
                    break;
                }

                await Task.Delay(1000);
            }

            Assert.True(difference is null, $"community {communityId}: {difference}");
        }
    }

    private static async Task<string?> Compare(CommunityService.CommunityServiceClient communities, MemberService.MemberServiceClient members, string communityId)
    {
        var roster = await communities.ListCommunityMembersAsync(new ListCommunityMembersRequest { CommunityId = communityId, PageSize = 1000 }, deadline: Deadline);
        long points = 0, checkIns = 0, lessons = 0, completed = 0;
        foreach (var member in roster.Members)
        {
            var progress = await members.GetMemberProgressAsync(new GetMemberProgressRequest { MemberId = member.MemberId }, deadline: Deadline);
            points += progress.Points;
            checkIns += progress.CheckIns;
            lessons += progress.CompletedLessons.Count;
            completed += progress.Completed ? 1 : 0;
        }

        var rollup = await communities.GetCommunityRollupAsync(new GetCommunityRollupRequest { CommunityId = communityId }, deadline: Deadline);
        return (rollup.TotalPoints, rollup.TotalCheckIns, rollup.TotalLessonCompletions, rollup.CompletedMembers, rollup.EnrolledMembers)
            == (points, checkIns, lessons, completed, roster.Members.Count)
            ? null
            : $"rollup (points {rollup.TotalPoints}, check-ins {rollup.TotalCheckIns}, lessons {rollup.TotalLessonCompletions}, completed {rollup.CompletedMembers}, enrolled {rollup.EnrolledMembers}) "
              + $"!= recount ({points}, {checkIns}, {lessons}, {completed}, {roster.Members.Count})";
    }
}
