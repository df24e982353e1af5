using Google.Protobuf;
using ProgressGrains.Api.V1;
using ProgressGrains.Contracts;

namespace ProgressGrains.Gateway.Security;

/// <summary>
/// Who may make which call, decided per request on the resource it names: a member's own records,
/// their community's admins, their subdistrict's admins, the volunteer assigned to them. Fields that
/// record who acted (<c>delivered_by</c>, <c>moderator_id</c>, <c>assigned_by</c>, <c>actor_id</c>) are taken from
/// the token. A call without a rule here is refused: new routes are closed until given one.
/// </summary>
internal sealed class AccessPolicy(ResourceDirectory directory)
{
    public const string CommunityLeaderboard = "/progress.v1.CommunityService/GetCommunityLeaderboard";
    public const string SubdistrictLeaderboard = "/progress.v1.SubdistrictService/GetSubdistrictLeaderboard";
    public const string UploadRosterMethod = "/progress.v1.RosterService/UploadRoster";

    [Flags]
    private enum Who
    {
        /// <summary>The member themself.</summary>
        Self = 1,

        /// <summary>The community admin of the resource's community, the subdistrict admin of its subdistrict.</summary>
        Admins = 2,

        /// <summary>The squad volunteer assigned to the member.</summary>
        AssignedVolunteer = 4,

        /// <summary>Analysts (of the resource's subdistrict, when their token names one).</summary>
        Analysts = 8,

        /// <summary>Members and volunteers of the community (or subdistrict), and its community admins.</summary>
        Participants = 16,
    }

    /// <summary>Null when <paramref name="caller"/> may make the call; otherwise why not, for a person to read.</summary>
    /// <exception cref="Grpc.Core.RpcException">InvalidArgument: the id the decision needs is malformed.</exception>
    public async ValueTask<string?> DenialAsync(string method, IMessage? request, Caller caller) => request switch
    {
        GetSeasonRequest or GetCallerRequest => null,
        UpsertSeasonRequest => caller.Is(Roles.SubdistrictAdmin) ? null : "Only subdistrict admins may add or change seasons.",

        GetMemberProgressRequest r => await Member(caller, r.MemberId, Who.Self | Who.Admins | Who.AssignedVolunteer, "read the progress of"),
        ListMemberLedgerRequest r => await Member(caller, r.MemberId, Who.Self | Who.Admins, "read the ledger of"),
        CompleteLessonRequest r => await Lesson(caller, r),
        CheckInRequest r => await Member(caller, r.MemberId, Who.Self, "check in for"),
        RecordQuizAttemptRequest r => await Member(caller, r.MemberId, Who.Self, "record a quiz attempt for"),
        SubmitReflectionRequest r => await Member(caller, r.MemberId, Who.Self, "submit a reflection for"),
        RecordVolunteeringRequest r => await Member(caller, r.MemberId, Who.Self, "record volunteering for"),
        ModerateReflectionRequest r => await Member(caller, r.MemberId, Who.Admins, "moderate the reflections of")
            ?? Stamp(r.ModeratorId, caller.Subject, "moderator_id", v => r.ModeratorId = v),
        VoidEventRequest r => await Member(caller, r.MemberId, Who.Admins, "void the events of")
            ?? Stamp(r.ActorId, caller.Subject, "actor_id", v => r.ActorId = v),
        SetMemberFlagsRequest r => await Member(caller, r.MemberId, Who.Admins, "set the flags of"),

        ListCommunityMembersRequest r => await Community(caller, r.CommunityId, Who.Admins, "list the members of"),
        GetLeaderboardRequest r when method == CommunityLeaderboard => await Leaderboard(caller, r, community: true),
        GetLeaderboardRequest r when method == SubdistrictLeaderboard => await Leaderboard(caller, r, community: false),
        ListCommunityReflectionsRequest r => r.Status == Api.V1.ReflectionStatus.Featured
            ? await Community(caller, r.CommunityId, Who.Admins | Who.Participants, "read the featured reflections of")
            : await Community(caller, r.CommunityId, Who.Admins, "list reflections other than featured ones of"),
        GetAtRiskQueueRequest r => await Community(caller, r.CommunityId, Who.Admins, "read the outreach queue of"),
        ListSquadVolunteersRequest r => await Community(caller, r.CommunityId, Who.Admins, "list the squad volunteers of"),
        RegisterSquadVolunteersRequest r => await Community(caller, r.CommunityId, Who.Admins, "register squad volunteers in"),
        AssignOutreachRequest r => await Community(caller, r.CommunityId, Who.Admins, "assign outreach in")
            ?? Stamp(r.AssignedBy, caller.Subject, "assigned_by", v => r.AssignedBy = v),
        GetOutreachCaseRequest r => await OutreachCase(caller, r),
        GetCommunityRollupRequest r => await Community(caller, r.CommunityId, Who.Admins | Who.Analysts, "read the rollup of"),

        GetSubdistrictRollupRequest r => await Subdistrict(caller, r.SubdistrictId, Who.Admins | Who.Analysts, "read the rollup of"),

        ListVolunteerAssignmentsRequest r => await VolunteerAssignments(caller, r.VolunteerId),

        // Rosters: admins only; each row is checked against the caller's community or subdistrict.
        ImportRosterRequest => RosterAdmin(caller),
        null when method == UploadRosterMethod => RosterAdmin(caller),

        GetRollupReportRequest r => await Subdistrict(caller, r.SubdistrictId, Who.Admins | Who.Analysts, "read the analysts' report of"),
        GetRollupCsvRequest r => await Subdistrict(caller, r.SubdistrictId, Who.Admins | Who.Analysts, "export the rollups of"),

        _ => "This call has no access rule yet, so it is refused for everyone.",
    };

    private static string? RosterAdmin(Caller caller) =>
        caller.Is(Roles.CommunityAdmin) || caller.Is(Roles.SubdistrictAdmin) ? null : "Only community and subdistrict admins import rosters.";

    private async ValueTask<string?> Lesson(Caller caller, CompleteLessonRequest request)
    {
        switch (request.Channel)
        {
            case Channel.InPerson:
                return await Member(caller, request.MemberId, Who.Admins, "record an in-person lesson (community admins do, at the lecture) for")
                    ?? Stamp(request.DeliveredBy, caller.Subject, "delivered_by", v => request.DeliveredBy = v);
            case Channel.HomeDelivery:
                // The member's grain checks that this volunteer is the one assigned to them.
                if (!caller.Is(Roles.Volunteer))
                {
                    RequireId(request.MemberId, "member_id");
                    return $"Home deliveries for member '{request.MemberId}' are recorded by the squad volunteer assigned to them, signed in as that volunteer.";
                }

                return Stamp(request.DeliveredBy, caller.VolunteerId!, "delivered_by", v => request.DeliveredBy = v);
            default:
                // Online, unspecified, or an unknown channel (which validation then refuses).
                return await Member(caller, request.MemberId, Who.Self, "record an online lesson for");
        }
    }

    private async ValueTask<string?> Member(Caller caller, string memberId, Who who, string action)
    {
        RequireId(memberId, "member_id");
        if (who.HasFlag(Who.Self) && caller.IsMember(memberId))
        {
            return null;
        }

        if (who.HasFlag(Who.Admins) && (caller.Is(Roles.CommunityAdmin) || caller.Is(Roles.SubdistrictAdmin))
            && await directory.CommunityOf(memberId) is { } communityId
            && await AdministersCommunity(caller, communityId))
        {
            return null;
        }

        // A volunteer reaches a member only through an open assignment in the member's community now
        // (an assignment closes when the member recovers, is reassigned or moves away).
        if (who.HasFlag(Who.AssignedVolunteer) && caller.Is(Roles.Volunteer)
            && await directory.CommunityOf(memberId) is { } memberCommunity
            && await directory.IsAssigned(caller.VolunteerId!, memberId, memberCommunity))
        {
            return null;
        }

        return $"You may not {action} member '{memberId}': only {Describe(who, "the member themself", "community")} may.";
    }

    private async ValueTask<string?> Community(Caller caller, string communityId, Who who, string action, string field = "community_id")
    {
        RequireId(communityId, field);
        if (who.HasFlag(Who.Admins) && await AdministersCommunity(caller, communityId))
        {
            return null;
        }

        if (who.HasFlag(Who.Analysts) && caller.Is(Roles.Analyst)
            && (caller.SubdistrictId is null || await directory.SubdistrictOf(communityId) == caller.SubdistrictId))
        {
            return null;
        }

        if (who.HasFlag(Who.Participants) && await CommunityOfParticipant(caller) == communityId)
        {
            return null;
        }

        return $"You may not {action} community '{communityId}': only {Describe(who, null, "community")} may.";
    }

    private async ValueTask<string?> Subdistrict(Caller caller, string subdistrictId, Who who, string action, string field = "subdistrict_id")
    {
        RequireId(subdistrictId, field);
        if (who.HasFlag(Who.Admins) && caller.AdministersSubdistrict(subdistrictId))
        {
            return null;
        }

        if (who.HasFlag(Who.Analysts) && caller.AnalysesSubdistrict(subdistrictId))
        {
            return null;
        }

        if (who.HasFlag(Who.Participants) && await CommunityOfParticipant(caller) is { } communityId
            && await directory.SubdistrictOf(communityId) == subdistrictId)
        {
            return null;
        }

        return $"You may not {action} subdistrict '{subdistrictId}': only {Describe(who, null, "subdistrict")} may.";
    }

    private async ValueTask<string?> Leaderboard(Caller caller, GetLeaderboardRequest request, bool community)
    {
        var denial = community
            ? await Community(caller, request.ScopeId, Who.Admins | Who.Participants, "read the leaderboard of", "scope_id")
            : await Subdistrict(caller, request.ScopeId, Who.Admins | Who.Participants, "read the leaderboard of", "scope_id");
        if (denial is not null || request.MemberId.Length == 0 || caller.IsMember(request.MemberId))
        {
            return denial;
        }

        // Someone else's rank: only for admins of the scope.
        var admin = community ? await AdministersCommunity(caller, request.ScopeId) : caller.AdministersSubdistrict(request.ScopeId);
        return admin ? null : $"You may ask for your own rank only (member_id '{caller.MemberId}' or empty), not member '{request.MemberId}'s.";
    }

    private async ValueTask<string?> OutreachCase(Caller caller, GetOutreachCaseRequest request)
    {
        RequireId(request.MemberId, "member_id");
        if (caller.Is(Roles.Volunteer) && Ids.IsValid(request.CommunityId)
            && await directory.IsAssigned(caller.VolunteerId!, request.MemberId, request.CommunityId))
        {
            return null;
        }

        return await Community(caller, request.CommunityId, Who.Admins, $"read member '{request.MemberId}'s outreach case in")
            is { } denial ? denial.Replace(" may.", ", and the volunteer assigned to the member, may.", StringComparison.Ordinal) : null;
    }

    private async ValueTask<string?> VolunteerAssignments(Caller caller, string volunteerId)
    {
        RequireId(volunteerId, "volunteer_id");
        if (caller.IsVolunteer(volunteerId)
            || (caller.Is(Roles.CommunityAdmin) && await directory.IsSquadVolunteer(caller.CommunityId!, volunteerId)))
        {
            return null;
        }

        return $"You may not read volunteer '{volunteerId}'s assignments: only the volunteer and the admins of their community may (admins see the assignments in their own community).";
    }

    private async ValueTask<bool> AdministersCommunity(Caller caller, string communityId) =>
        caller.AdministersCommunity(communityId)
        || (caller.Is(Roles.SubdistrictAdmin) && await directory.SubdistrictOf(communityId) is { } subdistrictId && caller.AdministersSubdistrict(subdistrictId));

    /// <summary>The community a member, volunteer or community admin belongs to (a member's as the roster says now).</summary>
    private async ValueTask<string?> CommunityOfParticipant(Caller caller) =>
        caller.Is(Roles.CommunityAdmin) || caller.Is(Roles.Volunteer) ? caller.CommunityId
        : caller.Is(Roles.Member) ? await directory.CommunityOf(caller.MemberId!)
        : null;

    /// <summary>Takes a field that records who acted from the token: filled in when empty, refused when different.</summary>
    private static string? Stamp(string value, string expected, string field, Action<string> set)
    {
        if (value.Length == 0)
        {
            set(expected);
            return null;
        }

        RequireId(value, field);
        return value == expected ? null : $"{field} is recorded from your token as '{expected}'; leave it empty rather than sending '{value}'.";
    }

    private static void RequireId(string id, string field)
    {
        if (!Ids.IsValid(id))
        {
            var validation = new RequestValidation();
            validation.Id(id, field);
            validation.ThrowIfInvalid();
        }
    }

    private static string Describe(Who who, string? self, string scope)
    {
        var parts = new List<string>();
        if (who.HasFlag(Who.Self) && self is not null)
        {
            parts.Add(self);
        }

        if (who.HasFlag(Who.Admins))
        {
            parts.Add(scope == "community" ? "admins of the community or its subdistrict" : "the subdistrict's admins");
        }

        if (who.HasFlag(Who.AssignedVolunteer))
        {
            parts.Add("the squad volunteer assigned to the member");
        }

        if (who.HasFlag(Who.Participants))
        {
            parts.Add($"the {scope}'s members, volunteers and community admins");
        }

        if (who.HasFlag(Who.Analysts))
        {
            parts.Add("analysts");
        }

        return parts.Count == 1 ? parts[0] : string.Join(", ", parts[..^1]) + " and " + parts[^1];
    }
}
