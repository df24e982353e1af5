using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Catalog;
using ProgressGrains.Contracts.Communities;
using ProgressGrains.Contracts.Members;

namespace ProgressGrains.Grains.Tests;

/// <summary>Two in-process silos with memory storage and a test season, shared by a test collection.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const string SeasonId = "test-season";

    private InProcessTestCluster? _cluster;

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("Not deployed.");

    public IGrainFactory Grains => Cluster.Client;

    public static SeasonDefinition Season { get; } = new()
    {
        SeasonId = SeasonId,
        Name = "Test season",
        StartsAt = new DateTimeOffset(2023, 11, 15, 0, 0, 0, TimeSpan.FromHours(8)),
        EndsAt = new DateTimeOffset(2024, 4, 1, 0, 0, 0, TimeSpan.FromHours(8)),
        Topics = [new("t1", "Topic one"), new("t2", "Topic two")],
        Lessons =
        [
            new("r1", "t1", "Required one", LessonKind.Lecture, Required: true, Points: 10),
            new("r2", "t1", "Required two", LessonKind.MicroLesson, Required: true, Points: 5),
            new("r3", "t2", "Required three", LessonKind.Reading, Required: true, Points: 5),
            new("o1", "t2", "Optional one", LessonKind.LegalClass, Required: false, Points: 3),
        ],
        Sites = [new("s1", "Site one", SiteKind.RedBookhouse, null), new("s2", "Site two", SiteKind.ServiceCenter, null)],
        Rules = new PointsRules { CheckInPoints = 2 },
        Quizzes = [new QuizDefinition("q1", "t1", "Quiz one", 10)],
    };

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.Progress);
            silo.Services.AddProgressGrains();
            silo.Services.Configure<RollupOptions>(o => o.FlushInterval = TimeSpan.FromMilliseconds(200));
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        await Grains.GetGrain<ICatalogGrain>(GrainKeys.Catalog).UpsertSeason(Season, makeCurrent: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    /// <summary>A new community with <paramref name="members"/> enrolled members, unique to the calling test.</summary>
    public async Task<(string CommunityId, string[] MemberIds)> NewCommunity(int members, int grids = 2, string subdistrictId = "sd")
    {
        var communityId = "c-" + Guid.NewGuid().ToString("N")[..12];
        var gridIds = Enumerable.Range(1, grids).Select(g => $"{communityId}-g{g}").ToArray();
        var community = Grains.GetGrain<ICommunityGrain>(GrainKeys.Community(communityId));
        await community.Define(new CommunityDefinition(communityId, communityId, subdistrictId, [.. gridIds]));
        var profiles = Enumerable.Range(1, members)
            .Select(i => new MemberProfile($"{communityId}-m{i:D3}", $"Member {i}", communityId, gridIds[i % grids], 1950 + i, MemberFlags.None))
            .ToArray();
        await community.Enroll([.. profiles.Select(p => new RosterEntry(p.MemberId, p.Name, p.GridId, p.Flags, p.BirthYear))]);
        await Task.WhenAll(profiles.Select(p => Grains.GetGrain<IMemberGrain>(GrainKeys.Member(p.MemberId)).Enroll(p)));
        return (communityId, [.. profiles.Select(p => p.MemberId)]);
    }

    public IMemberGrain Member(string id) => Grains.GetGrain<IMemberGrain>(GrainKeys.Member(id));

    public ICommunityGrain Community(string id) => Grains.GetGrain<ICommunityGrain>(GrainKeys.Community(id));
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
