using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Catalog;
using ProgressGrains.Contracts.Communities;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Contracts.Outreach;

namespace ProgressGrains.Grains.Tests;

/// <summary>
/// A season of outreach in seconds: a cluster whose clock is a FakeTimeProvider. Members who fall
/// behind enter the queue on the right day, are assigned, visited, and leave the queue.
/// </summary>
public sealed class OutreachTests : IAsyncLifetime
{
    private static readonly DateTimeOffset SeasonStart = new(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
    private readonly FakeTimeProvider _clock = new(SeasonStart.AddHours(12));
    private InProcessTestCluster? _cluster;

    private IGrainFactory Grains => _cluster!.Client;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.Progress);
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton(new ProgressClock(_clock));
            silo.Services.AddProgressGrains();
            // Writes far apart, gauges refreshed often: the gauge test sees the refresh, not a write.
            silo.Services.Configure<RollupOptions>(o => (o.FlushInterval, o.ReportInterval) = (TimeSpan.FromHours(1), TimeSpan.FromMilliseconds(100)));
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        await Grains.GetGrain<ICatalogGrain>(GrainKeys.Catalog).UpsertSeason(ClusterFixture.Season with
        {
            SeasonId = "outreach-season",
            StartsAt = SeasonStart,
            EndsAt = SeasonStart.AddDays(90),
            Outreach = new OutreachRules { PaceThreshold = 0.8, InactivityDays = 14 },
        }, makeCurrent: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task ASeason_MembersFallBehind_AreAssigned_Visited_AndRecover_WithTheRollupRightAtEachStep()
    {
        var community = Grains.GetGrain<ICommunityGrain>("c-outreach");
        await community.Define(new CommunityDefinition("c-outreach", "Outreach", "sd-outreach", ["g1"]));
        string[] ids = ["m-active", "m-slow", "m-silent"];
        await community.Enroll([.. ids.Select(id => new RosterEntry(id, id, "g1", id == "m-silent" ? MemberFlags.Elderly | MemberFlags.Housebound : MemberFlags.None))]);
        foreach (var id in ids)
        {
            await Member(id).Enroll(new MemberProfile(id, id, "c-outreach", "g1", 1950, MemberFlags.None));
        }

        await community.RegisterVolunteers([new SquadVolunteer("v1", "Volunteer One", "g1"), new SquadVolunteer("v2", "Volunteer Two", null)]);

        // Day 1: two members take the first lesson; the third does nothing.
        await Complete("m-active", "r1");
        await Complete("m-slow", "r1");
        Assert.Empty((await community.GetAtRisk(null, 0, 10)).Entries);

        // Day 10: 11% of the season is gone; the silent member is behind pace (not yet 14 days idle).
        _clock.Advance(TimeSpan.FromDays(9));
        await community.EvaluateOutreach(null);
        var queue = await community.GetAtRisk(null, 0, 10);
        var silent = Assert.Single(queue.Entries);
        Assert.Equal("m-silent", silent.MemberId);
        Assert.Equal([AtRiskReasonKind.BehindPace], silent.Case.Reasons.Select(r => r.Kind));
        Assert.True(silent.Flags.HasFlag(MemberFlags.Housebound));
        Assert.Equal(new OutreachCoverage(AtRisk: 1, InOutreach: 0, Reached: 0, NotYetReached: 1, Recovered: 0), (await community.GetRollup(null)).Coverage);

        // Assigned to v1: only v1 may deliver at home.
        await community.AssignOutreach("m-silent", "v1", "admin-1", null);
        Assert.Equal(new OutreachCoverage(1, 1, 0, 1, 0), (await community.GetRollup(null)).Coverage);
        Assert.Contains(await Grains.GetGrain<IVolunteerGrain>("v1").GetAssignments(), a => a.MemberId == "m-silent" && a.Open);
        var refusal = await Assert.ThrowsAsync<ProgressException>(() => Complete("m-silent", "r1", LessonChannel.HomeDelivery, "v2"));
        Assert.Equal(ErrorKind.PermissionDenied, refusal.Kind);

        // Day 11: v1 delivers the first lesson at home; the member is back on pace and leaves the queue.
        _clock.Advance(TimeSpan.FromDays(1));
        await Complete("m-silent", "r1", LessonChannel.HomeDelivery, "v1");
        Assert.Empty((await community.GetAtRisk(null, 0, 10)).Entries);
        Assert.Equal(new OutreachCoverage(0, 0, 1, 0, 1), (await community.GetRollup(null)).Coverage);
        var closed = await community.GetOutreachCase("m-silent", null);
        Assert.Equal(OutreachCaseStatus.Recovered, closed.Status);
        Assert.Equal(4, closed.History.Length); // entered, assigned, reached, back on pace
        Assert.Equal("v1", Assert.Single((await Member("m-silent").GetProgress(null)).Lessons).DeliveredBy);
        await WaitUntil(async () => !(await Grains.GetGrain<IVolunteerGrain>("v1").GetAssignments()).Any(a => a.Open));

        // Day 40: the slow member stopped after day 1: behind pace and idle for 39 days. The member
        // visited on day 11 did nothing since: behind again, and back in the queue.
        _clock.Advance(TimeSpan.FromDays(29));
        await Complete("m-active", "r2");
        await community.EvaluateOutreach(null);
        var slow = Assert.Single((await community.GetAtRisk(null, 0, 10)).Entries, e => e.MemberId == "m-slow");
        Assert.Equal([AtRiskReasonKind.BehindPace, AtRiskReasonKind.Inactive], slow.Case.Reasons.Select(r => r.Kind));
        Assert.Equal(["m-silent", "m-slow"], (await community.GetAtRisk(null, 0, 10)).Entries.Select(e => e.MemberId).Order());
        Assert.StartsWith("at risk again", (await community.GetOutreachCase("m-silent", null)).History[^1].What);

        // The community is deactivated and comes back: no case is lost.
        var before = (await community.GetRollup(null)).Coverage;
        await _cluster!.DeactivateAsync(community);
        Assert.Equal(before, (await community.GetRollup(null)).Coverage);
        Assert.Equal(5, (await community.GetOutreachCase("m-silent", null)).History.Length);
        Assert.Equal(["m-silent", "m-slow"], (await community.GetAtRisk(null, 0, 10)).Entries.Select(e => e.MemberId).Order());
    }

    [Fact]
    public async Task Assign_UnknownVolunteerOrMember_IsNotFound()
    {
        var community = Grains.GetGrain<ICommunityGrain>("c-assign");
        await community.Define(new CommunityDefinition("c-assign", "Assign", "sd-outreach", ["g1"]));
        await community.Enroll([new RosterEntry("m1", "m1", "g1", MemberFlags.None)]);

        var noVolunteer = await Assert.ThrowsAsync<ProgressException>(() => community.AssignOutreach("m1", "nobody", "admin", null));
        var noMember = await Assert.ThrowsAsync<ProgressException>(() => community.AssignOutreach("m2", "nobody", "admin", null));

        Assert.Equal(("volunteer_id", ErrorKind.NotFound), (noVolunteer.Field, noVolunteer.Kind));
        Assert.Equal(("member_id", ErrorKind.NotFound), (noMember.Field, noMember.Kind));
    }

    [Fact]
    public async Task TheAtRiskGauge_FollowsProgressBetweenWrites()
    {
        using var gauge = new AtRiskGauge("c-gauge");
        var community = Grains.GetGrain<ICommunityGrain>("c-gauge");
        await community.Define(new CommunityDefinition("c-gauge", "Gauge", "sd-outreach", ["g1"]));
        await community.Enroll([new RosterEntry("g-m1", "g-m1", "g1", MemberFlags.None)]);
        await Member("g-m1").Enroll(new MemberProfile("g-m1", "g-m1", "c-gauge", "g1", 1950, MemberFlags.None));
        await Complete("g-m1", "o1"); // the member's first contribution (which updates the roster and is written at once)

        // Day 10, no required lesson done: behind pace.
        _clock.Advance(TimeSpan.FromDays(9));
        await community.EvaluateOutreach(null);
        Assert.Single((await community.GetAtRisk(null, 0, 10)).Entries);
        await WaitUntil(() => Task.FromResult(gauge.Read() == 1));

        // Back on pace: applied in memory, the next write an hour away; the gauge follows anyway.
        await Complete("g-m1", "r1");
        Assert.Empty((await community.GetAtRisk(null, 0, 10)).Entries);
        await WaitUntil(() => Task.FromResult(gauge.Read() == 0));
    }

    private IMemberGrain Member(string id) => Grains.GetGrain<IMemberGrain>(id);

    /// <summary>The silo's <c>progress.members.at_risk</c> gauge for one community, read in process.</summary>
    private sealed class AtRiskGauge : IDisposable
    {
        private readonly MeterListener _listener = new();
        private int _value;

        public AtRiskGauge(string communityId)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == Telemetry.ProgressMetrics.MeterName && instrument.Name == "progress.members.at_risk")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "community" && communityId.Equals(tag.Value))
                    {
                        _value = value;
                    }
                }
            });
            _listener.Start();
        }

        /// <summary>The gauge's value now, or -1 when the silo reports nothing for the community.</summary>
        public int Read()
        {
            _value = -1;
            _listener.RecordObservableInstruments();
            return _value;
        }

        public void Dispose() => _listener.Dispose();
    }

    private Task<LessonResult> Complete(string memberId, string lessonId, LessonChannel channel = LessonChannel.Online, string? by = null) =>
        Member(memberId).CompleteLesson(new CompleteLessonCommand(Guid.NewGuid(), lessonId, channel, by, _clock.GetUtcNow(), null));

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100 && !await condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(await condition());
    }
}
