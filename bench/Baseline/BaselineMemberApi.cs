using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using ProgressGrains.Api.V1;
using ProgressGrains.Bench.Load;

namespace ProgressGrains.Bench.Baseline;

/// <summary>The member routes of the public API, on the plain store; the other member calls stay Unimplemented.</summary>
[Authorize]
public sealed class BaselineMemberApi(BaselineStore store) : MemberService.MemberServiceBase
{
    public const string SeasonId = "baseline";

    public override async Task<CompleteLessonResponse> CompleteLesson(CompleteLessonRequest request, ServerCallContext context)
    {
        var outcome = await RecordAsync(context, request.MemberId, request.EventId, EventKind.Lesson, request.LessonId, request.OccurredAt);
        return new CompleteLessonResponse
        {
            EventId = request.EventId,
            Duplicate = outcome.Duplicate,
            PointsAwarded = outcome.PointsAwarded,
            TotalPoints = outcome.TotalPoints,
        };
    }

    public override async Task<CheckInResponse> CheckIn(CheckInRequest request, ServerCallContext context)
    {
        var outcome = await RecordAsync(context, request.MemberId, request.EventId, EventKind.CheckIn, request.SiteId, request.OccurredAt);
        return new CheckInResponse
        {
            EventId = request.EventId,
            Duplicate = outcome.Duplicate,
            PointsAwarded = outcome.PointsAwarded,
            Counted = true,
            TotalPoints = outcome.TotalPoints,
            CheckIns = outcome.CheckIns,
        };
    }

    public override async Task<ActivityResponse> RecordQuizAttempt(RecordQuizAttemptRequest request, ServerCallContext context)
    {
        if (request.MaxScore <= 0 || request.Score < 0 || request.Score > request.MaxScore)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "score must be between 0 and a positive max_score."));
        }

        var outcome = await RecordAsync(context, request.MemberId, request.EventId, EventKind.Quiz, request.QuizId, request.OccurredAt);
        return new ActivityResponse { EventId = request.EventId, Duplicate = outcome.Duplicate, PointsAwarded = outcome.PointsAwarded, TotalPoints = outcome.TotalPoints };
    }

    public override async Task<GetMemberProgressResponse> GetMemberProgress(GetMemberProgressRequest request, ServerCallContext context)
    {
        BaselineCaller.RequireMember(context, request.MemberId);
        var member = await store.GetMemberAsync(request.MemberId, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"Member '{request.MemberId}' is not enrolled."));
        var response = new GetMemberProgressResponse
        {
            MemberId = member.MemberId,
            CommunityId = member.CommunityId,
            SeasonId = SeasonId,
            Points = member.Points,
            CheckIns = member.CheckIns,
            QuizAttempts = member.QuizAttempts,
            CompletedLessons = { member.Lessons },
            LastActivityAt = member.LastActivityAt is { } last ? Timestamp.FromDateTimeOffset(last) : null,
        };
        return response;
    }

    private async Task<RecordOutcome> RecordAsync(ServerCallContext context, string memberId, string eventId, EventKind kind, string target, Timestamp? occurredAt)
    {
        var community = BaselineCaller.RequireMember(context, memberId);
        if (!Guid.TryParse(eventId, out var id))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"event_id '{eventId}' is not a UUID."));
        }

        if (string.IsNullOrEmpty(target))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The lesson, site or quiz id is required."));
        }

        var now = DateTimeOffset.UtcNow;
        var at = occurredAt?.ToDateTimeOffset() ?? now;
        if (at > now.AddMinutes(5))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "occurred_at is in the future."));
        }

        return await store.RecordAsync(id, memberId, community, kind, target, at, context.CancellationToken);
    }
}
