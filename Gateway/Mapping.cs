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
            Rules = definition.Rules.ToApi(),
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
        season.Quizzes.AddRange(definition.Quizzes.Select(q => new Quiz { QuizId = q.QuizId, TopicId = q.TopicId, Title = q.Title, Points = q.Points }));
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

    public static Api.V1.PointsRules ToApi(this Contracts.Catalog.PointsRules rules)
    {
        var api = new Api.V1.PointsRules
        {
            CheckInPoints = rules.CheckInPoints,
            ReflectionPoints = rules.ReflectionPoints,
            FeaturedReflectionBonus = rules.FeaturedReflectionBonus,
            VolunteerPointsPerHour = rules.VolunteerPointsPerHour,
            MaxVolunteerHoursPerEvent = rules.MaxVolunteerHoursPerEvent,
            QuizAttempts = rules.QuizAttempts == Contracts.Catalog.QuizAttemptRule.First ? Api.V1.QuizAttemptRule.First : Api.V1.QuizAttemptRule.Best,
            ReflectionMinLength = rules.ReflectionMinLength,
            ReflectionMaxLength = rules.ReflectionMaxLength,
        };
        api.DailyCaps.AddRange(rules.DailyCaps.Select(c => new Api.V1.DailyCap { Activity = (Api.V1.ActivityKind)(int)c.Activity, MaxPoints = c.MaxPoints }));
        api.StreakBonuses.AddRange(rules.StreakBonuses.Select(b => new Api.V1.StreakBonus { Days = b.Days, Points = b.Points }));
        return api;
    }

    /// <summary>A season from the API (an admin's upsert or a season file) as the catalog keeps it.</summary>
    public static SeasonDefinition ToDomain(this Season season, RequestValidation validation)
    {
        validation.Id(season.SeasonId, "season.season_id");
        if (string.IsNullOrWhiteSpace(season.Name))
        {
            validation.Add("season.name", "season.name is required.");
        }

        if (season.StartsAt is null || season.EndsAt is null)
        {
            validation.Add("season.starts_at", "season.starts_at and season.ends_at are required.");
        }

        var rules = season.Rules ?? new Api.V1.PointsRules();
        var defaults = new Contracts.Catalog.PointsRules();
        return new SeasonDefinition
        {
            SeasonId = season.SeasonId,
            Name = season.Name,
            TimeZone = string.IsNullOrEmpty(season.TimeZone) ? "Asia/Shanghai" : season.TimeZone,
            StartsAt = validation.Timestamp(season.StartsAt, "season.starts_at") ?? default,
            EndsAt = validation.Timestamp(season.EndsAt, "season.ends_at") ?? default,
            Topics = [.. season.Topics.Select(t => new TopicDefinition(t.TopicId, t.Title))],
            Lessons = [.. season.Lessons.Select(l => new LessonDefinition(l.LessonId, l.TopicId, l.Title, (LessonKind)(int)l.Kind, l.Required, l.Points))],
            Sites = [.. season.Sites.Select(s => new SiteDefinition(s.SiteId, s.Name, (SiteKind)(int)s.Kind, string.IsNullOrEmpty(s.CommunityId) ? null : s.CommunityId))],
            Quizzes = [.. season.Quizzes.Select(q => new QuizDefinition(q.QuizId, q.TopicId, q.Title, q.Points))],
            Rules = new Contracts.Catalog.PointsRules
            {
                CheckInPoints = rules.CheckInPoints,
                ReflectionPoints = rules.ReflectionPoints,
                FeaturedReflectionBonus = rules.FeaturedReflectionBonus,
                VolunteerPointsPerHour = rules.VolunteerPointsPerHour,
                MaxVolunteerHoursPerEvent = rules.MaxVolunteerHoursPerEvent > 0 ? rules.MaxVolunteerHoursPerEvent : defaults.MaxVolunteerHoursPerEvent,
                QuizAttempts = rules.QuizAttempts == Api.V1.QuizAttemptRule.First ? Contracts.Catalog.QuizAttemptRule.First : Contracts.Catalog.QuizAttemptRule.Best,
                DailyCaps = [.. rules.DailyCaps.Select(c => new Contracts.Catalog.DailyCap((Contracts.ActivityKind)(int)c.Activity, c.MaxPoints))],
                StreakBonuses = [.. rules.StreakBonuses.Select(b => new Contracts.Catalog.StreakBonus(b.Days, b.Points))],
                ReflectionMinLength = rules.ReflectionMinLength > 0 ? rules.ReflectionMinLength : defaults.ReflectionMinLength,
                ReflectionMaxLength = rules.ReflectionMaxLength > 0 ? rules.ReflectionMaxLength : defaults.ReflectionMaxLength,
            },
        };
    }

    public static ActivityResponse ToApi(this ActivityResult result) => new()
    {
        EventId = result.EventId.ToString(),
        Duplicate = result.Duplicate,
        PointsAwarded = result.PointsAwarded,
        TotalPoints = result.TotalPoints,
        Note = result.Note ?? "",
    };

    public static Reflection ToApi(this ReflectionSummary reflection, string memberId = "", string memberName = "") => new()
    {
        ReflectionId = reflection.ReflectionId.ToString(),
        Status = (Api.V1.ReflectionStatus)(int)reflection.Status,
        SubmittedAt = Timestamp.FromDateTimeOffset(reflection.SubmittedAt),
        Text = reflection.Text,
        MemberId = memberId,
        MemberName = memberName,
    };

    public static GetLeaderboardResponse ToApi(this Leaderboard board)
    {
        var response = new GetLeaderboardResponse { RankedMembers = board.RankedMembers, SeasonId = board.SeasonId, Member = board.Member?.ToApi() };
        response.Leaders.AddRange(board.Leaders.Select(l => l.ToApi()));
        return response;
    }

    private static Api.V1.LeaderboardEntry ToApi(this Contracts.Communities.LeaderboardEntry entry) => new()
    {
        Rank = entry.Rank,
        MemberId = entry.MemberId,
        Name = entry.Name,
        CommunityId = entry.CommunityId,
        GridId = entry.GridId,
        Points = entry.Points,
    };

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
        response.QuizAttempts = progress.QuizAttempts;
        response.VolunteerHours = progress.VolunteerHours;
        response.CurrentStreak = progress.CurrentStreak;
        response.LongestStreak = progress.LongestStreak;
        response.BirthYear = progress.Profile.BirthYear ?? 0;
        response.Reflections.AddRange(progress.Reflections.Select(r => r.ToApi()));
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
            Coverage = rollup.Coverage.ToApi(),
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

    public static Api.V1.OutreachCoverage ToApi(this Contracts.Outreach.OutreachCoverage coverage) => new()
    {
        AtRisk = coverage.AtRisk,
        InOutreach = coverage.InOutreach,
        Reached = coverage.Reached,
        NotYetReached = coverage.NotYetReached,
        Recovered = coverage.Recovered,
    };

    public static Api.V1.OutreachCase ToApi(this Contracts.Outreach.OutreachCase c)
    {
        var api = new Api.V1.OutreachCase
        {
            MemberId = c.MemberId,
            SeasonId = c.SeasonId,
            Status = (Api.V1.OutreachCaseStatus)(int)c.Status,
            DaysBehind = c.DaysBehind,
            OpenedAt = Timestamp.FromDateTimeOffset(c.OpenedAt),
            VolunteerId = c.VolunteerId ?? "",
            AssignedAt = ToTimestamp(c.AssignedAt),
            ClosedAt = ToTimestamp(c.ClosedAt),
            Reached = c.Reached,
        };
        api.Reasons.AddRange(c.Reasons.Select(r => new Api.V1.AtRiskReason { Kind = (Api.V1.AtRiskReasonKind)(int)r.Kind, Description = r.Description }));
        api.History.AddRange(c.History.Select(h => new Api.V1.CaseEvent { At = Timestamp.FromDateTimeOffset(h.At), What = h.What, By = h.By ?? "" }));
        return api;
    }

    public static AtRiskMember ToApi(this Contracts.Outreach.AtRiskEntry entry)
    {
        var api = new AtRiskMember
        {
            MemberId = entry.MemberId,
            Name = entry.Name,
            GridId = entry.GridId,
            Progress = entry.Progress,
            LastActivityAt = ToTimestamp(entry.LastActivityAt),
            Case = entry.Case.ToApi(),
        };
        api.Flags.AddRange(ToApi(entry.Flags));
        return api;
    }

    public static Api.V1.SquadVolunteer ToApi(this Contracts.Outreach.SquadVolunteer v) =>
        new() { VolunteerId = v.VolunteerId, Name = v.Name, GridId = v.GridId ?? "" };

    public static IEnumerable<MemberFlag> ApiFlags(MemberFlags flags) => ToApi(flags);

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
