using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Google.Api;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ProgressGrains.Api.V1;
using ProgressGrains.Tests.Shared;
using Xunit.Sdk;

namespace ProgressGrains.Gateway.Tests;

/// <summary>A demo silo of its own: the matrix writes (seasons, flags, volunteers) as every allowed caller.</summary>
public sealed class MatrixSiloFixture : IAsyncLifetime
{
    // The matrix makes some 250 allowed calls about one member within seconds.
    public DemoSiloFixture Demo { get; } = new() { ExtraArgs = ["--RateLimits:PerMemberBurst=100000"] };

    public ValueTask InitializeAsync() => Demo.InitializeAsync();

    public ValueTask DisposeAsync() => Demo.DisposeAsync();
}

/// <summary>
/// Every route of the public API (from the protos' own descriptors, so a new route without a row
/// here fails) × every kind of caller (each role, scoped to the resource or to another one, and no
/// token), over gRPC and over JSON: allowed or refused, as the README's table says.
/// </summary>
public sealed class AuthorizationMatrixTests(MatrixSiloFixture fixture, ITestOutputHelper output) : IClassFixture<MatrixSiloFixture>, IDisposable
{
    private static readonly FileDescriptor[] Files =
    [
        ProgressGrains.Api.V1.AuthReflection.Descriptor, SeasonsReflection.Descriptor, MembersReflection.Descriptor,
        CommunitiesReflection.Descriptor, SubdistrictsReflection.Descriptor, VolunteersReflection.Descriptor,
        RosterReflection.Descriptor, AnalyticsReflection.Descriptor,
    ];

    private DemoSiloFixture Demo => fixture.Demo;

    [Fact]
    public async Task EveryRoute_ForEveryRoleAndScope_IsAllowedOrRefusedAsSpecified()
    {
        var world = await World.DiscoverAsync(Demo);
        var identities = Identities(world);
        var cases = Cases(world);

        // Every route of every service has a row, and no row names a route that does not exist.
        var routes = Files.SelectMany(f => f.Services).SelectMany(s => s.Methods).Select(m => m.FullName).ToHashSet();
        Assert.Equal(routes.Order(), cases.Select(c => c.Method).Distinct().Order());

        var failures = new List<string>();
        int allowed = 0, refused = 0;
        foreach (var @case in cases)
        {
            var method = Files.SelectMany(f => f.Services).SelectMany(s => s.Methods).Single(m => m.FullName == @case.Method);
            foreach (var (name, token) in identities)
            {
                var expectAllowed = @case.Allowed.Contains(name);
                var grpc = await CallGrpc(method, @case.Request(), token);
                Check(failures, $"{@case.Label} as {name} over gRPC", expectAllowed, token is null, grpc.Allowed, grpc.Refusal, grpc.Detail);
                var calls = 1;
                if (method.GetOptions()?.HasExtension(Google.Api.AnnotationsExtensions.Http) == true)
                {
                    var json = await CallJson(method, @case.Request(), token);
                    Check(failures, $"{@case.Label} as {name} over JSON", expectAllowed, token is null, json.Allowed, json.Refusal, json.Detail);
                    calls++;
                }

                if (expectAllowed)
                {
                    allowed += calls;
                }
                else
                {
                    refused += calls;
                }
            }
        }

        var summary = $"AUTHZ: {cases.Count} cases over {routes.Count} routes × {identities.Count} callers, over gRPC and (where routed) JSON = {allowed + refused} calls: "
            + $"{allowed} expected allowed, {refused} expected refused, {failures.Count} wrong";
        output.WriteLine(summary);
        TestContext.Current.SendDiagnosticMessage(summary);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static void Check(List<string> failures, string what, bool expectAllowed, bool anonymous, bool wasAllowed, string refusal, string detail)
    {
        if (expectAllowed && !wasAllowed)
        {
            failures.Add($"{what}: expected allowed, got {refusal}: {detail}");
        }
        else if (!expectAllowed && wasAllowed)
        {
            failures.Add($"{what}: expected refused, got through ({detail})");
        }
        else if (!expectAllowed && refusal != (anonymous ? "Unauthenticated" : "PermissionDenied"))
        {
            failures.Add($"{what}: refused with {refusal}, expected {(anonymous ? "Unauthenticated" : "PermissionDenied")}: {detail}");
        }
    }

    /// <summary>The demo's resources the matrix is about: a housebound member of wenhua assigned to wenhua-v01.</summary>
    private sealed record World(string Target, string Neighbour, Season Season, string ReflectionText, IReadOnlyList<SquadVolunteer> Volunteers)
    {
        public Timestamp During => Timestamp.FromDateTimeOffset(Season.StartsAt.ToDateTimeOffset().AddDays(10));

        public static async Task<World> DiscoverAsync(DemoSiloFixture demo)
        {
            var admin = new Metadata { { "authorization", $"Bearer {TestTokens.For("community_admin", community: "wenhua")}" } };
            var assignments = await new VolunteerService.VolunteerServiceClient(demo.Channel)
                .ListVolunteerAssignmentsAsync(new ListVolunteerAssignmentsRequest { VolunteerId = "wenhua-v01" }, admin);
            var target = assignments.Assignments.First(a => a.Open && a.CommunityId == "wenhua").MemberId;
            var roster = await new CommunityService.CommunityServiceClient(demo.Channel)
                .ListCommunityMembersAsync(new ListCommunityMembersRequest { CommunityId = "wenhua", PageSize = 10 }, admin);
            var neighbour = roster.Members.Select(m => m.MemberId).First(id => id != target);
            var season = (await new SeasonService.SeasonServiceClient(demo.Channel)
                .GetSeasonAsync(new GetSeasonRequest { SeasonId = "current" }, admin)).Season;
            var volunteers = (await new CommunityService.CommunityServiceClient(demo.Channel)
                .ListSquadVolunteersAsync(new ListSquadVolunteersRequest { CommunityId = "wenhua" }, admin)).Volunteers;
            var text = new string('学', Math.Max(season.Rules.ReflectionMinLength, 20));
            return new World(target, neighbour, season, text, [.. volunteers]);
        }
    }

    private const string EmptyRoster = "member_id,name,community_id,grid,birth_year\n";

    private sealed record Case(string Method, string Label, Func<IMessage> Request, IReadOnlySet<string> Allowed);

    private static List<(string Name, string? Token)> Identities(World world) =>
    [
        ("anonymous", null),
        ("member:self", TestTokens.For("member", member: world.Target)),
        ("member:neighbour", TestTokens.For("member", member: world.Neighbour)),
        ("member:outsider", TestTokens.For("member", member: "jinyan-0001")),
        ("volunteer:assigned", TestTokens.For("volunteer", volunteer: "wenhua-v01", community: "wenhua")),
        ("volunteer:squad", TestTokens.For("volunteer", volunteer: "wenhua-v02", community: "wenhua")),
        ("volunteer:outsider", TestTokens.For("volunteer", volunteer: "jinyan-v01", community: "jinyan")),
        ("community_admin:own", TestTokens.For("community_admin", community: "wenhua")),
        ("community_admin:other", TestTokens.For("community_admin", community: "jinyan")),
        ("subdistrict_admin:own", TestTokens.For("subdistrict_admin", subdistrict: "xietang")),
        ("subdistrict_admin:other", TestTokens.For("subdistrict_admin", subdistrict: "huangdai")),
        ("analyst:own", TestTokens.For("analyst", subdistrict: "xietang")),
        ("analyst:all", TestTokens.For("analyst")),
        ("analyst:other", TestTokens.For("analyst", subdistrict: "huangdai")),
        ("operator", TestTokens.For("operator")),
        // A role without the id it is scoped to grants nothing.
        ("member:unscoped", TestTokens.For("member")),
    ];

    private static List<Case> Cases(World w)
    {
        string[] everyone = ["member:self", "member:neighbour", "member:outsider", "volunteer:assigned", "volunteer:squad", "volunteer:outsider",
            "community_admin:own", "community_admin:other", "subdistrict_admin:own", "subdistrict_admin:other", "analyst:own", "analyst:all",
            "analyst:other", "operator", "member:unscoped"];
        string[] admins = ["community_admin:own", "subdistrict_admin:own"];
        string[] analysts = ["analyst:own", "analyst:all"];
        string[] self = ["member:self"];
        string[] rosterAdmins = ["community_admin:own", "community_admin:other", "subdistrict_admin:own", "subdistrict_admin:other"];
        string[] communityFolk = [.. admins, "member:self", "member:neighbour", "volunteer:assigned", "volunteer:squad"];
        // Everyone in xietang's communities (the demo has no other subdistrict).
        string[] subdistrictFolk = ["member:self", "member:neighbour", "member:outsider", "volunteer:assigned", "volunteer:squad", "volunteer:outsider",
            "community_admin:own", "community_admin:other", "subdistrict_admin:own"];
        var lessons = w.Season.Lessons;
        var quiz = w.Season.Quizzes[0];
        var site = w.Season.Sites[0];
        string Event() => Guid.NewGuid().ToString();

        Case C(string method, string label, Func<IMessage> request, params string[] allowed) =>
            new($"progress.v1.{method}", label, request, allowed.ToHashSet());

        return
        [
            C("AuthService.SignInWithWeChat", "sign in with WeChat", () => new SignInWithWeChatRequest { Code = $"demo-{w.Target}" }, [.. everyone, "anonymous"]),
            C("AuthService.GetCaller", "who am I", () => new GetCallerRequest(), everyone),

            C("SeasonService.GetSeason", "read the season", () => new GetSeasonRequest { SeasonId = "current" }, everyone),
            C("SeasonService.UpsertSeason", "put the season (unchanged)", () => new UpsertSeasonRequest { Season = w.Season.Clone(), MakeCurrent = true },
                "subdistrict_admin:own", "subdistrict_admin:other"),

            C("MemberService.GetMemberProgress", "read progress", () => new GetMemberProgressRequest { MemberId = w.Target },
                [.. self, .. admins, "volunteer:assigned"]),
            C("MemberService.ListMemberLedger", "read the ledger", () => new ListMemberLedgerRequest { MemberId = w.Target }, [.. self, .. admins]),
            C("MemberService.CompleteLesson", "complete a lesson online", () => new CompleteLessonRequest
            {
                MemberId = w.Target, LessonId = lessons[0].LessonId, EventId = Event(), Channel = Channel.Online, OccurredAt = w.During,
            }, self),
            C("MemberService.CompleteLesson", "record an in-person lesson", () => new CompleteLessonRequest
            {
                MemberId = w.Target, LessonId = lessons[1].LessonId, EventId = Event(), Channel = Channel.InPerson, OccurredAt = w.During,
            }, admins),
            C("MemberService.CompleteLesson", "record a home delivery", () => new CompleteLessonRequest
            {
                MemberId = w.Target, LessonId = lessons[2].LessonId, EventId = Event(), Channel = Channel.HomeDelivery, OccurredAt = w.During,
            }, "volunteer:assigned"),
            C("MemberService.CheckIn", "check in", () => new CheckInRequest { MemberId = w.Target, SiteId = site.SiteId, EventId = Event(), OccurredAt = w.During }, self),
            C("MemberService.RecordQuizAttempt", "attempt a quiz", () => new RecordQuizAttemptRequest
            {
                MemberId = w.Target, QuizId = quiz.QuizId, EventId = Event(), Score = 1, MaxScore = 10, OccurredAt = w.During,
            }, self),
            C("MemberService.SubmitReflection", "submit a reflection", () => new SubmitReflectionRequest
            {
                MemberId = w.Target, EventId = Event(), Text = w.ReflectionText, OccurredAt = w.During,
            }, self),
            C("MemberService.ModerateReflection", "moderate a reflection", () => new ModerateReflectionRequest
            {
                MemberId = w.Target, ReflectionId = Event(), EventId = Event(), Decision = ModerationDecision.Approve,
            }, admins),
            C("MemberService.RecordVolunteering", "record volunteering", () => new RecordVolunteeringRequest
            {
                MemberId = w.Target, EventId = Event(), Activity = "小区巡逻", Hours = 1, OccurredAt = w.During,
            }, self),
            C("MemberService.VoidEvent", "void an event", () => new VoidEventRequest { MemberId = w.Target, EventId = Event(), Reason = "重复登记" }, admins),
            C("MemberService.SetMemberFlags", "set flags (unchanged)", () => new SetMemberFlagsRequest
            {
                MemberId = w.Target, Flags = { MemberFlag.Elderly, MemberFlag.Housebound },
            }, admins),

            C("CommunityService.ListCommunityMembers", "list the roster", () => new ListCommunityMembersRequest { CommunityId = "wenhua" }, admins),
            C("CommunityService.GetCommunityLeaderboard", "read the community leaderboard", () => new GetLeaderboardRequest { ScopeId = "wenhua" }, communityFolk),
            C("CommunityService.GetCommunityLeaderboard", "read the target's rank in the community", () => new GetLeaderboardRequest { ScopeId = "wenhua", MemberId = w.Target },
                [.. admins, .. self]),
            C("CommunityService.ListCommunityReflections", "read featured reflections", () => new ListCommunityReflectionsRequest
            {
                CommunityId = "wenhua", Status = ReflectionStatus.Featured,
            }, communityFolk),
            C("CommunityService.ListCommunityReflections", "read pending reflections", () => new ListCommunityReflectionsRequest
            {
                CommunityId = "wenhua", Status = ReflectionStatus.Pending,
            }, admins),
            C("CommunityService.GetAtRiskQueue", "read the outreach queue", () => new GetAtRiskQueueRequest { CommunityId = "wenhua" }, admins),
            C("CommunityService.ListSquadVolunteers", "list squad volunteers", () => new ListSquadVolunteersRequest { CommunityId = "wenhua" }, admins),
            C("CommunityService.RegisterSquadVolunteers", "register squad volunteers (unchanged)", () => new RegisterSquadVolunteersRequest
            {
                CommunityId = "wenhua", Volunteers = { w.Volunteers.Select(v => v.Clone()) },
            }, admins),
            C("CommunityService.AssignOutreach", "assign outreach (again)", () => new AssignOutreachRequest
            {
                CommunityId = "wenhua", MemberId = w.Target, VolunteerId = "wenhua-v01",
            }, admins),
            C("CommunityService.GetOutreachCase", "read an outreach case", () => new GetOutreachCaseRequest { CommunityId = "wenhua", MemberId = w.Target },
                [.. admins, "volunteer:assigned"]),
            C("CommunityService.GetCommunityRollup", "read the community rollup", () => new GetCommunityRollupRequest { CommunityId = "wenhua" }, [.. admins, .. analysts]),

            C("SubdistrictService.GetSubdistrictRollup", "read the subdistrict rollup", () => new GetSubdistrictRollupRequest { SubdistrictId = "xietang" },
                ["subdistrict_admin:own", .. analysts]),
            C("SubdistrictService.GetSubdistrictLeaderboard", "read the subdistrict leaderboard", () => new GetLeaderboardRequest { ScopeId = "xietang" }, subdistrictFolk),

            C("RosterService.ImportRoster", "import a roster (no rows)", () => new ImportRosterRequest
            {
                File = new Google.Api.HttpBody { ContentType = "text/csv", Data = ByteString.CopyFromUtf8(EmptyRoster) },
            }, rosterAdmins),
            C("RosterService.UploadRoster", "upload a roster (no rows)", () => new RosterChunk { Data = ByteString.CopyFromUtf8(EmptyRoster) }, rosterAdmins),
            C("AnalyticsService.GetRollupReport", "read the analysts' report", () => new GetRollupReportRequest { SubdistrictId = "xietang" },
                ["subdistrict_admin:own", .. analysts]),
            C("AnalyticsService.GetRollupCsv", "download the rollup CSV", () => new GetRollupCsvRequest { SubdistrictId = "xietang", Table = "lessons" },
                ["subdistrict_admin:own", .. analysts]),
            C("AnalyticsService.ExportRollupCsv", "stream the rollup CSV", () => new GetRollupCsvRequest { SubdistrictId = "xietang" },
                ["subdistrict_admin:own", .. analysts]),

            C("VolunteerService.ListVolunteerAssignments", "read a volunteer's assignments", () => new ListVolunteerAssignmentsRequest { VolunteerId = "wenhua-v01" },
                "volunteer:assigned", "community_admin:own"),
        ];
    }

    private sealed record Outcome(bool Allowed, string Refusal, string Detail);

    private async Task<Outcome> CallGrpc(MethodDescriptor method, IMessage request, string? token)
    {
        var call = new Method<IMessage, IMessage>(MethodType.Unary, method.Service.FullName, method.Name,
            Marshallers.Create<IMessage>(m => m.ToByteArray(), bytes => method.InputType.Parser.ParseFrom(bytes)),
            Marshallers.Create<IMessage>(m => m.ToByteArray(), bytes => method.OutputType.Parser.ParseFrom(bytes)));
        var headers = new Metadata();
        if (token is not null)
        {
            headers.Add("authorization", $"Bearer {token}");
        }

        var options = new CallOptions(headers, DateTime.UtcNow.AddSeconds(30));
        var invoker = Demo.Channel.CreateCallInvoker();
        try
        {
            if (method.IsClientStreaming)
            {
                var upload = new Method<IMessage, IMessage>(MethodType.ClientStreaming, call.ServiceName, call.Name, call.RequestMarshaller, call.ResponseMarshaller);
                using var streaming = invoker.AsyncClientStreamingCall(upload, null, options);
                try
                {
                    await streaming.RequestStream.WriteAsync(request);
                    await streaming.RequestStream.CompleteAsync();
                }
                catch (RpcException)
                {
                    // Refused before the upload finished: the answer below says why.
                }

                await streaming.ResponseAsync;
            }
            else if (method.IsServerStreaming)
            {
                var download = new Method<IMessage, IMessage>(MethodType.ServerStreaming, call.ServiceName, call.Name, call.RequestMarshaller, call.ResponseMarshaller);
                using var streaming = invoker.AsyncServerStreamingCall(download, null, options, request);
                while (await streaming.ResponseStream.MoveNext(CancellationToken.None))
                {
                }
            }
            else
            {
                await invoker.AsyncUnaryCall(call, null, options, request);
            }

            return new Outcome(true, "", "OK");
        }
        catch (RpcException ex)
        {
            return Classify(ex.StatusCode, ex.Status.Detail);
        }
    }

    private static Outcome Classify(StatusCode code, string detail) => code switch
    {
        StatusCode.PermissionDenied or StatusCode.Unauthenticated => new Outcome(false, code.ToString(), detail),
        // Bugs are never "allowed": they fail the matrix.
        StatusCode.Internal or StatusCode.Unknown => new Outcome(false, code.ToString(), detail),
        // Past the gate: the domain may still refuse (a reflection that does not exist, ...).
        _ => new Outcome(true, "", $"{code}: {detail}"),
    };

    /// <summary>The same request over the route its <c>google.api.http</c> rule declares.</summary>
    private async Task<Outcome> CallJson(MethodDescriptor method, IMessage request, string? token)
    {
        var rule = method.GetOptions().GetExtension(AnnotationsExtensions.Http);
        var (verb, template) = rule.PatternCase switch
        {
            HttpRule.PatternOneofCase.Get => (HttpMethod.Get, rule.Get),
            HttpRule.PatternOneofCase.Post => (HttpMethod.Post, rule.Post),
            HttpRule.PatternOneofCase.Put => (HttpMethod.Put, rule.Put),
            _ => throw new XunitException($"{method.FullName}: no route"),
        };
        var json = JsonNode.Parse(new JsonFormatter(JsonFormatter.Settings.Default.WithFormatEnumsAsIntegers(false)).Format(request))!.AsObject();
        var path = new StringBuilder();
        foreach (var part in template.Split('/'))
        {
            if (part.StartsWith('{'))
            {
                var fieldPath = part.Trim('{', '}').Split('.');
                path.Append('/').Append(Uri.EscapeDataString(FieldValue(request, fieldPath)));
                if (fieldPath.Length == 1)
                {
                    json.Remove(request.Descriptor.FindFieldByName(fieldPath[0]).JsonName);
                }
            }
            else if (part.Length > 0)
            {
                path.Append('/').Append(part);
            }
        }

        using var message = new HttpRequestMessage(verb, path.ToString());
        if (rule.Body == "*")
        {
            message.Content = new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json");
        }
        else if (rule.Body.Length > 0 && request.Descriptor.FindFieldByName(rule.Body).Accessor.GetValue(request) is Google.Api.HttpBody raw)
        {
            // A raw body (e.g. a CSV file): sent as itself; the other fields go in the query.
            message.Content = new ByteArrayContent(raw.Data.ToByteArray()) { Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(raw.ContentType) } };
            json.Remove(request.Descriptor.FindFieldByName(rule.Body).JsonName);
            if (json.Count > 0)
            {
                message.RequestUri = new Uri(path + "?" + string.Join("&", json.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!.ToString())}")), UriKind.Relative);
            }
        }
        else if (rule.Body.Length > 0)
        {
            var field = request.Descriptor.FindFieldByName(rule.Body);
            message.Content = new StringContent(json[field.JsonName]!.ToJsonString(), Encoding.UTF8, "application/json");
        }
        else if (json.Count > 0)
        {
            message.RequestUri = new Uri(path + "?" + string.Join("&", json.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!.ToString())}")), UriKind.Relative);
        }

        if (token is not null)
        {
            message.Headers.Authorization = new("Bearer", token);
        }

        // The bare client: no test identity is added.
        using var response = await Bare.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new Outcome(false, "Unauthenticated", body),
            HttpStatusCode.Forbidden => new Outcome(false, "PermissionDenied", body),
            >= HttpStatusCode.InternalServerError and not HttpStatusCode.ServiceUnavailable => new Outcome(false, $"HTTP {(int)response.StatusCode}", body),
            _ => new Outcome(true, "", $"HTTP {(int)response.StatusCode}: {body}"),
        };
    }

    private HttpClient Bare => _bare ??= new HttpClient { BaseAddress = Demo.Silo.HttpBase, Timeout = TimeSpan.FromSeconds(30) };

    private HttpClient? _bare;

    public void Dispose() => _bare?.Dispose();

    private static string FieldValue(IMessage message, string[] path)
    {
        object? value = message;
        foreach (var name in path)
        {
            var current = (IMessage)value!;
            value = current.Descriptor.FindFieldByName(name).Accessor.GetValue(current);
        }

        return value?.ToString() ?? "";
    }
}
