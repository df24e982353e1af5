namespace ProgressGrains.Contracts;

/// <summary>How a member took a lesson.</summary>
[GenerateSerializer, Alias("pg.LessonChannel")]
public enum LessonChannel
{
    Online = 1,
    InPerson = 2,
    HomeDelivery = 3,
}

/// <summary>The kind of a lesson.</summary>
[GenerateSerializer, Alias("pg.LessonKind")]
public enum LessonKind
{
    Unspecified = 0,
    Lecture = 1,
    MicroLesson = 2,
    Reading = 3,
    LegalClass = 4,
    Storytelling = 5,
}

/// <summary>The kind of a study site.</summary>
[GenerateSerializer, Alias("pg.SiteKind")]
public enum SiteKind
{
    Unspecified = 0,
    RedBookhouse = 1,
    PracticeStation = 2,
    ServiceCenter = 3,
}

/// <summary>Flags of a member that matter for outreach.</summary>
[Flags]
[GenerateSerializer, Alias("pg.MemberFlags")]
public enum MemberFlags
{
    None = 0,
    Elderly = 1,
    Housebound = 2,
    Mobile = 4,
}

/// <summary>The kinds of activity that earn points (and that daily caps apply to).</summary>
[GenerateSerializer, Alias("pg.ActivityKind")]
public enum ActivityKind
{
    Unspecified = 0,
    Lesson = 1,
    CheckIn = 2,
    Quiz = 3,
    Reflection = 4,
    Volunteering = 5,
    Streak = 6,
}

/// <summary>Where a reflection (微感悟) stands in moderation.</summary>
[GenerateSerializer, Alias("pg.ReflectionStatus")]
public enum ReflectionStatus
{
    Pending = 1,
    Approved = 2,
    Rejected = 3,
    Featured = 4,
}

/// <summary>A community admin's decision on a reflection.</summary>
[GenerateSerializer, Alias("pg.ModerationDecision")]
public enum ModerationDecision
{
    Approve = 1,
    Reject = 2,
    Feature = 3,
}
