using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using ProgressGrains.Api.V1;

namespace ProgressGrains.Bench.Load;

/// <summary>The API request for a planned event, the same message over gRPC and as JSON.</summary>
public static class ProgressRequests
{
    /// <summary>A full score: the first attempt at a quiz earns its points (one ledger entry).</summary>
    public const int QuizMaxScore = 10;

    public static IMessage For(PlannedEvent planned) => planned.Kind switch
    {
        EventKind.Lesson => new CompleteLessonRequest
        {
            MemberId = planned.Member.MemberId,
            LessonId = planned.Target,
            EventId = planned.EventId.ToString(),
            Channel = Channel.Online,
            OccurredAt = Timestamp.FromDateTimeOffset(planned.OccurredAt),
        },
        EventKind.CheckIn => new CheckInRequest
        {
            MemberId = planned.Member.MemberId,
            SiteId = planned.Target,
            EventId = planned.EventId.ToString(),
            OccurredAt = Timestamp.FromDateTimeOffset(planned.OccurredAt),
        },
        _ => new RecordQuizAttemptRequest
        {
            MemberId = planned.Member.MemberId,
            QuizId = planned.Target,
            EventId = planned.EventId.ToString(),
            Score = QuizMaxScore,
            MaxScore = QuizMaxScore,
            OccurredAt = Timestamp.FromDateTimeOffset(planned.OccurredAt),
        },
    };
}
