using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Grains.Members;

namespace ProgressGrains.Grains.Tests;

/// <summary>
/// What a member's state looks like in storage. Every acknowledged event lives in these bytes, so
/// a change to the state's types or their serializer attributes must still read what was stored
/// before, and should write the same bytes.
/// </summary>
public sealed class StoredFormatTests
{
    private static readonly IGrainStorageSerializer Serializer = new OrleansGrainStorageSerializer(
        new ServiceCollection()
            .AddSerializer(b => b.AddAssembly(typeof(MemberState).Assembly).AddAssembly(typeof(MemberProfile).Assembly))
            .BuildServiceProvider()
            .GetRequiredService<Serializer>());

    /// <summary>
    /// <see cref="Sample"/> as the silo stored it on 2026-11-30 (commit 703fba6), in base64.
    /// </summary>
    private const string StoredOn20261130 =
        "ICDoQAdtLTFBDeW8oOS4iUEHYy0xQQ1jLTEtZzEB8jwBDUERb3BlbmlkLTHgAR0hMAExLNQuHVN0cmluZ0NvbXBhcmVyAAMB" +
        "AeABA0ENcy0yMDI2ICAABSHoQCFbrY8Py9mfRqFlcIZ3KJUOQQlsLTAxAQXBASGAAJx50ypQ3giBAEAjDkMAAADgIYAAyarU" +
        "KlDeCIEAQCMOQwAAAOABKeAg6EAhTTwrGgAAAECAAAAAAAAAAkEJbC0wMgENQQd2LTEhgABc4/3zUN4IgQBAIw5DAAAA4CGA" +
        "AFzj/fNQ3giBAEAjDkMAAADgARXg4CEAAyHoQCFNPCsaAAAAQIAAAAAAAAADQQ1zaXRlLTEhgACcedMqUN4IgQBAIw5DAAAA" +
        "4GEpSQsAAQng4CQAAyHoQCFNPCsaAAAAQIAAAAAAAAAEQQdxLTEBIQEpASEhgAAEPjUzUN4IgQBAIw5DAAAA4ODgIQADIehA" +
        "IXlmnnwldN5AlEvgf8H5CudBT+WtpuS5oOW/g+W+l++8muS4jeiuqeS4gOS4quWFmuWRmOaOiemYnyGAAGwClztQ3giBAEAj" +
        "DkMAAADgAQkhIAADIehAIU08KxoAAABAgAAAAAAAAAUBBUEPYWRtaW4tMSGAANTG+ENQ3giBAEAjDkMAAADgARXg4ODg4CEA" +
        "AyHoQCFNPCsaAAAAQIAAAAAAAAAGQS1SZWFkaW5nIHRvIHRoZSBlbGRlcmx5gQAAAAAAAPg/IYAAHE0ovVHeCIEAQCMOQwAA" +
        "AOABDeDgIQADIehAIVutjw/L2Z9GoWVwhncolQ5BHXJlY29yZGVkIHR3aWNlwaEhgADctlKGUt4IgQBAIw5DAAAA4ODg4ODB" +
        "SeA=";

    [Fact]
    public void AStateStoredBefore_ReadsBackWithEveryFact()
    {
        var stored = Convert.FromBase64String(StoredOn20261130);

        var state = Serializer.Deserialize<MemberState>(new BinaryData(stored))!;

        var expected = Sample();
        Assert.Equal(expected.Profile, state.Profile);
        Assert.Equal(expected.Version, state.Version);
        Assert.Equal(expected.OutreachVolunteerId, state.OutreachVolunteerId);
        var season = Assert.Single(state.Seasons);
        Assert.Equal("s-2026", season.Key);
        var facts = expected.Seasons["s-2026"];
        Assert.Equal(facts.Lessons, season.Value.Lessons);
        Assert.Equal(facts.CheckIns, season.Value.CheckIns);
        Assert.Equal(facts.QuizAttempts, season.Value.QuizAttempts);
        Assert.Equal(facts.Volunteering, season.Value.Volunteering);
        Assert.Equal(facts.Voids, season.Value.Voids);
        var reflection = Assert.Single(season.Value.Reflections);
        Assert.Equal(facts.Reflections[0] with { History = [] }, reflection with { History = [] });
        Assert.Equal(facts.Reflections[0].History, reflection.History);
    }

    [Fact]
    public void TheSameStateIsStoredAsTheSameBytes()
    {
        var bytes = Serializer.Serialize(Sample()).ToArray();

        Assert.True(Convert.ToBase64String(bytes) == StoredOn20261130,
            $"The member state's stored bytes changed. If that is intended, and what was stored before still reads (the other test), the new bytes are: {Convert.ToBase64String(bytes)}");
    }

    private static MemberState Sample()
    {
        var at = new DateTimeOffset(2026, 1, 10, 9, 30, 0, TimeSpan.FromHours(8));
        var lesson = new Guid("0f8fad5b-d9cb-469f-a165-70867728950e");
        var reflection = new Guid("7c9e6679-7425-40de-944b-e07fc1f90ae7");
        var season = new MemberSeasonState
        {
            Lessons =
            [
                new LessonCompletionRecord(lesson, "l-01", LessonChannel.Online, null, at, at.AddSeconds(2), 10),
                new LessonCompletionRecord(new Guid("1a2b3c4d-0000-4000-8000-000000000002"), "l-02", LessonChannel.HomeDelivery, "v-1", at.AddDays(1), at.AddDays(1), 5),
            ],
            CheckIns = [new CheckInRecord(new Guid("1a2b3c4d-0000-4000-8000-000000000003"), "site-1", at, DateOnly.FromDateTime(at.Date), 2)],
            QuizAttempts = [new QuizAttemptRecord(new Guid("1a2b3c4d-0000-4000-8000-000000000004"), "q-1", 8, 10, 8, at.AddHours(1))],
            Reflections =
            [
                new ReflectionRecord(reflection, "学习心得：不让一个党员掉队", at.AddHours(2), ReflectionStatus.Approved,
                    [new ModerationRecord(new Guid("1a2b3c4d-0000-4000-8000-000000000005"), ModerationDecision.Approve, "admin-1", at.AddHours(3), 5)]),
            ],
            Volunteering = [new VolunteerRecord(new Guid("1a2b3c4d-0000-4000-8000-000000000006"), "Reading to the elderly", 1.5, at.AddDays(2), 3)],
            Voids = [new VoidRecord(lesson, "recorded twice", "admin-1", at.AddDays(3))],
        };
        return new MemberState
        {
            Profile = new MemberProfile("m-1", "张三", "c-1", "c-1-g1", 1950, MemberFlags.Elderly | MemberFlags.Housebound, "openid-1"),
            Version = 7,
            Seasons = { ["s-2026"] = season },
            OutreachVolunteerId = "v-1",
        };
    }
}
