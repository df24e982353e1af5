using Google.Protobuf.WellKnownTypes;
using ProgressGrains.Api.V1;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Catalog;
using ProgressGrains.Contracts.Communities;
using ProgressGrains.Contracts.Members;
using ApiLessonKind = ProgressGrains.Api.V1.LessonKind;
using ApiSiteKind = ProgressGrains.Api.V1.SiteKind;
using LessonKind = ProgressGrains.Contracts.LessonKind;
using SiteKind = ProgressGrains.Contracts.SiteKind;

namespace ProgressGrains.Gateway;

/// <summary>Between the grains' records and the public API's messages.</summary>
internal static class Mapping
{
    public static Season ToApi(this SeasonSnapshot snapshot)
    {
        var definition = snapshot.Season;
        var season = new Season
        {
            SeasonId = definition.SeasonId,
            Name = definition.Name,
            TimeZone = definition.TimeZone,
            StartsAt = Timestamp.FromDateTimeOffset(definition.StartsAt),
            EndsAt = Timestamp.FromDateTimeOffset(definition.EndsAt),
            Rules = new Api.V1.PointsRules { CheckInPoints = definition.Rules.CheckInPoints },
            RequiredLessons = definition.RequiredLessonCount,
            Current = snapshot.Current,
        };
        season.Topics.AddRange(definition.Topics.Select(t => new Topic { TopicId = t.TopicId, Title = t.Title }));
        season.Lessons.AddRange(definition.Lessons.Select(l => new Lesson
        {
            LessonId = l.LessonId,
            TopicId = l.TopicId,
            Title = l.Title,
            Kind = l.Kind switch
            {
                LessonKind.Lecture => ApiLessonKind.Lecture,
                LessonKind.MicroLesson => ApiLessonKind.MicroLesson,
                LessonKind.Reading => ApiLessonKind.Reading,
                LessonKind.LegalClass => ApiLessonKind.LegalClass,
                LessonKind.Storytelling => ApiLessonKind.Storytelling,
                _ => ApiLessonKind.Unspecified,
            },
            Required = l.Required,
            Points = l.Points,
        }));
        season.Sites.AddRange(definition.Sites.Select(s => new StudySite
        {
            SiteId = s.SiteId,
            Name = s.Name,
            Kind = s.Kind switch
            {
                SiteKind.RedBookhouse => ApiSiteKind.RedBookhouse,
                SiteKind.PracticeStation => ApiSiteKind.PracticeStation,
                SiteKind.ServiceCenter => ApiSiteKind.ServiceCenter,
                _ => ApiSiteKind.Unspecified,
            },
            CommunityId = s.CommunityId ?? "",
        }));
        return season;
    }

    public static GetMemberProgressResponse ToApi(this MemberProgress progress)
    {
        var response = new GetMemberProgressResponse
        {
            MemberId = progress.Profile.MemberId,
            Name = progress.Profile.Name,
            CommunityId = progress.Profile.CommunityId,
            GridId = progress.Profile.GridId,
            SeasonId = progress.SeasonId,
            Points = progress.Points,
            Progress = progress.Progress,
            RequiredLessons = progress.RequiredLessons,
            CompletedRequiredLessons = progress.CompletedRequiredLessons,
            Completed = progress.Completed,
            CheckIns = progress.CheckIns,
            LastActivityAt = ToTimestamp(progress.LastActivityAt),
        };
        response.CompletedLessons.AddRange(progress.Lessons.Select(l => l.LessonId));
        response.Lessons.AddRange(progress.Lessons.Select(l => new LessonCompletion
        {
            LessonId = l.LessonId,
            Channel = ToApi(l.Channel),
            DeliveredBy = l.DeliveredBy ?? "",
            OccurredAt = Timestamp.FromDateTimeOffset(l.OccurredAt),
            EventId = l.EventId.ToString(),
            Points = l.Points,
        }));
        response.Flags.AddRange(ToApi(progress.Profile.Flags));
        return response;
    }

    public static CompleteLessonResponse ToApi(this LessonResult result) => new()
    {
        EventId = result.EventId.ToString(),
        Duplicate = result.Duplicate,
        PointsAwarded = result.PointsAwarded,
        AlreadyCompleted = result.AlreadyCompleted,
        TotalPoints = result.TotalPoints,
        Progress = result.Progress,
    };

    public static CheckInResponse ToApi(this CheckInResult result) => new()
    {
        EventId = result.EventId.ToString(),
        Duplicate = result.Duplicate,
        PointsAwarded = result.PointsAwarded,
        Counted = result.Counted,
        TotalPoints = result.TotalPoints,
        CheckIns = result.CheckIns,
    };

    public static GetCommunityRollupResponse ToApi(this CommunityRollup rollup)
    {
        var totals = rollup.Totals;
        var response = new GetCommunityRollupResponse
        {
            CommunityId = rollup.Community.CommunityId,
            Name = rollup.Community.Name,
            SubdistrictId = rollup.Community.SubdistrictId,
            SeasonId = rollup.SeasonId,
            EnrolledMembers = totals.EnrolledMembers,
            ActiveMembers = rollup.ActiveMembers,
            CompletedMembers = totals.CompletedMembers,
            CompletionRate = totals.CompletionRate,
            AverageProgress = totals.AverageProgress,
            TotalPoints = totals.TotalPoints,
            TotalCheckIns = totals.TotalCheckIns,
            TotalLessonCompletions = totals.TotalLessonCompletions,
            UpdatedAt = ToTimestamp(rollup.UpdatedAt),
        };
        response.Lessons.AddRange(rollup.Lessons.Select(l => new LessonCompletions { LessonId = l.LessonId, Completions = l.Completions }));
        response.Grids.AddRange(rollup.Grids.Select(g => new GridRollup
        {
            GridId = g.GridId,
            EnrolledMembers = g.Totals.EnrolledMembers,
            CompletedMembers = g.Totals.CompletedMembers,
            AverageProgress = g.Totals.AverageProgress,
            TotalPoints = g.Totals.TotalPoints,
            TotalCheckIns = g.Totals.TotalCheckIns,
        }));
        return response;
    }

    public static RosterMember ToApi(this RosterItem item)
    {
        var member = new RosterMember
        {
            MemberId = item.Entry.MemberId,
            Name = item.Entry.Name,
            GridId = item.Entry.GridId,
            Points = item.Points,
            Progress = item.Progress,
            Completed = item.Completed,
            CheckIns = item.CheckIns,
            LastActivityAt = ToTimestamp(item.LastActivityAt),
        };
        member.Flags.AddRange(ToApi(item.Entry.Flags));
        return member;
    }

    /// <summary>The domain channel for an API channel; null for a value this API does not define.</summary>
    public static LessonChannel? ToDomain(Channel channel) => channel switch
    {
        Channel.Unspecified or Channel.Online => LessonChannel.Online,
        Channel.InPerson => LessonChannel.InPerson,
        Channel.HomeDelivery => LessonChannel.HomeDelivery,
        _ => null,
    };

    private static Channel ToApi(LessonChannel channel) => channel switch
    {
        LessonChannel.InPerson => Channel.InPerson,
        LessonChannel.HomeDelivery => Channel.HomeDelivery,
        _ => Channel.Online,
    };

    private static IEnumerable<MemberFlag> ToApi(MemberFlags flags)
    {
        if (flags.HasFlag(MemberFlags.Elderly))
        {
            yield return MemberFlag.Elderly;
        }

        if (flags.HasFlag(MemberFlags.Housebound))
        {
            yield return MemberFlag.Housebound;
        }

        if (flags.HasFlag(MemberFlags.Mobile))
        {
            yield return MemberFlag.Mobile;
        }
    }

    private static Timestamp? ToTimestamp(DateTimeOffset? at) => at is { } value ? Timestamp.FromDateTimeOffset(value) : null;
}
