using Grpc.Core;
using ProgressGrains.Api.V1;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Members;

namespace ProgressGrains.Gateway.Services;

/// <summary>Member progress and activities over gRPC and JSON.</summary>
internal sealed class MemberApi(IGrainFactory grains, MemberGrains members) : MemberService.MemberServiceBase
{
    public override async Task<GetMemberProgressResponse> GetMemberProgress(GetMemberProgressRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        var memberId = validation.Id(request.MemberId, "member_id");
        var seasonId = validation.Season(request.SeasonId);
        validation.ThrowIfInvalid();

        var progress = await Member(memberId).GetProgress(seasonId, context.CancellationToken);
        return progress.ToApi();
    }

    public override async Task<ListMemberLedgerResponse> ListMemberLedger(ListMemberLedgerRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        var memberId = validation.Id(request.MemberId, "member_id");
        var seasonId = validation.Season(request.SeasonId);
        var pageSize = validation.PageSize(request.PageSize);
        var skip = Paging.Offset(request.PageToken, validation);
        validation.ThrowIfInvalid();

        var page = await Member(memberId).GetLedger(seasonId, skip, pageSize, context.CancellationToken);
        var response = new ListMemberLedgerResponse
        {
            TotalSize = page.TotalSize,
            Points = page.Points,
            NextPageToken = skip + page.Entries.Length < page.TotalSize ? Paging.OffsetToken(skip + page.Entries.Length) : "",
        };
        response.Entries.AddRange(page.Entries.Select(e => new Api.V1.LedgerEntry
        {
            EventId = e.EventId == Guid.Empty ? "" : e.EventId.ToString(),
            Points = e.Points,
            Reason = e.Reason,
            RecordedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(e.At),
            Kind = (Api.V1.ActivityKind)(int)e.Kind,
            Rule = e.Rule,
        }));
        return response;
    }

    public override async Task<CompleteLessonResponse> CompleteLesson(CompleteLessonRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        var memberId = validation.Id(request.MemberId, "member_id");
        var lessonId = validation.Id(request.LessonId, "lesson_id");
        var eventId = validation.EventId(request.EventId);
        var channel = Mapping.ToDomain(request.Channel);
        if (channel is null)
        {
            validation.Add("channel", $"channel {(int)request.Channel} is not one of CHANNEL_ONLINE, CHANNEL_IN_PERSON, CHANNEL_HOME_DELIVERY.");
        }

        var deliveredBy = validation.OptionalId(request.DeliveredBy, "delivered_by");
        var occurredAt = validation.Timestamp(request.OccurredAt, "occurred_at");
        var seasonId = validation.Season(request.SeasonId);
        validation.ThrowIfInvalid();

        var command = new CompleteLessonCommand(eventId, lessonId, channel!.Value, deliveredBy, occurredAt, seasonId);
        var result = await Member(memberId).CompleteLesson(command, context.CancellationToken);
        return result.ToApi();
    }

    public override async Task<CheckInResponse> CheckIn(CheckInRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        var memberId = validation.Id(request.MemberId, "member_id");
        var eventId = validation.EventId(request.EventId);
        var siteId = validation.Id(request.SiteId, "site_id");
        var occurredAt = validation.Timestamp(request.OccurredAt, "occurred_at");
        var seasonId = validation.Season(request.SeasonId);
        validation.ThrowIfInvalid();

        var result = await Member(memberId).CheckIn(new CheckInCommand(eventId, siteId, occurredAt, seasonId), context.CancellationToken);
        return result.ToApi();
    }

    public override async Task<ActivityResponse> RecordQuizAttempt(RecordQuizAttemptRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        var memberId = validation.Id(request.MemberId, "member_id");
        var quizId = validation.Id(request.QuizId, "quiz_id");
        var eventId = validation.EventId(request.EventId);
        var occurredAt = validation.Timestamp(request.OccurredAt, "occurred_at");
        var seasonId = validation.Season(request.SeasonId);
        validation.ThrowIfInvalid();

        var command = new QuizAttemptCommand(eventId, quizId, request.Score, request.MaxScore, occurredAt, seasonId);
        return (await Member(memberId).AttemptQuiz(command, context.CancellationToken)).ToApi();
    }

    public override async Task<ActivityResponse> SubmitReflection(SubmitReflectionRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        var memberId = validation.Id(request.MemberId, "member_id");
        var eventId = validation.EventId(request.EventId);
        var occurredAt = validation.Timestamp(request.OccurredAt, "occurred_at");
        var seasonId = validation.Season(request.SeasonId);
        validation.ThrowIfInvalid();

        var command = new ReflectionCommand(eventId, request.Text, occurredAt, seasonId);
        return (await Member(memberId).SubmitReflection(command, context.CancellationToken)).ToApi();
    }

    public override async Task<ActivityResponse> ModerateReflection(ModerateReflectionRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        var memberId = validation.Id(request.MemberId, "member_id");
        var reflectionId = validation.EventId(request.ReflectionId, "reflection_id");
        var eventId = validation.EventId(request.EventId);
        var moderatorId = validation.Id(request.ModeratorId, "moderator_id");
        Contracts.ModerationDecision? decision = request.Decision switch
        {
            Api.V1.ModerationDecision.Approve => Contracts.ModerationDecision.Approve,
            Api.V1.ModerationDecision.Reject => Contracts.ModerationDecision.Reject,
            Api.V1.ModerationDecision.Feature => Contracts.ModerationDecision.Feature,
            _ => null,
        };
        if (decision is null)
        {
            validation.Add("decision", "decision must be MODERATION_DECISION_APPROVE, MODERATION_DECISION_REJECT or MODERATION_DECISION_FEATURE.");
        }

        validation.ThrowIfInvalid();

        var command = new ModerateReflectionCommand(eventId, reflectionId, decision!.Value, moderatorId);
        return (await Member(memberId).ModerateReflection(command, context.CancellationToken)).ToApi();
    }

    public override async Task<ActivityResponse> RecordVolunteering(RecordVolunteeringRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        var memberId = validation.Id(request.MemberId, "member_id");
        var eventId = validation.EventId(request.EventId);
        var occurredAt = validation.Timestamp(request.OccurredAt, "occurred_at");
        var seasonId = validation.Season(request.SeasonId);
        validation.ThrowIfInvalid();

        var command = new VolunteerCommand(eventId, request.Activity, request.Hours, occurredAt, seasonId);
        return (await Member(memberId).Volunteer(command, context.CancellationToken)).ToApi();
    }

    public override async Task<ActivityResponse> VoidEvent(VoidEventRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        var memberId = validation.Id(request.MemberId, "member_id");
        var eventId = validation.EventId(request.EventId);
        var actorId = validation.OptionalId(request.ActorId, "actor_id");
        validation.ThrowIfInvalid();

        var command = new VoidEventCommand(eventId, request.Reason, actorId);
        return (await Member(memberId).VoidEvent(command, context.CancellationToken)).ToApi();
    }

    public override async Task<SetMemberFlagsResponse> SetMemberFlags(SetMemberFlagsRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        var memberId = validation.Id(request.MemberId, "member_id");
        var flags = MemberFlags.None;
        foreach (var flag in request.Flags)
        {
            flags |= flag switch
            {
                MemberFlag.Elderly => MemberFlags.Elderly,
                MemberFlag.Housebound => MemberFlags.Housebound,
                MemberFlag.Mobile => MemberFlags.Mobile,
                _ => Invalid(flag),
            };
        }

        validation.ThrowIfInvalid();

        var member = Member(memberId);
        var profile = await member.GetProfile()
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"Member '{memberId}' is not enrolled."));
        var changed = profile with { Flags = flags };
        await member.Enroll(changed);
        await grains.GetGrain<Contracts.Communities.ICommunityGrain>(GrainKeys.Community(profile.CommunityId))
            .Enroll([new Contracts.Communities.RosterEntry(changed.MemberId, changed.Name, changed.GridId, changed.Flags, changed.BirthYear)]);
        var response = new SetMemberFlagsResponse { MemberId = memberId };
        response.Flags.AddRange(Mapping.ApiFlags(flags));
        return response;

        MemberFlags Invalid(MemberFlag flag)
        {
            validation.Add("flags", $"{flag} is not a member flag; use MEMBER_FLAG_ELDERLY, MEMBER_FLAG_HOUSEBOUND or MEMBER_FLAG_MOBILE.");
            return MemberFlags.None;
        }
    }

    private IMemberGrain Member(string memberId) => members.Get(memberId);
}
