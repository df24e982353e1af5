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
