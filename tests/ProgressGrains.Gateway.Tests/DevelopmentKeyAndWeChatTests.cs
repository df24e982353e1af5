using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ProgressGrains.Tests.Shared;

namespace ProgressGrains.Gateway.Tests;

/// <summary>
/// The embedded default's own key (created in the data directory, kept across restarts), the tokens
/// <c>--demo</c> and <c>token</c> print, and sign-in through WeChat's code2Session, here served by a
/// stand-in on loopback that answers as WeChat documents.
/// </summary>
public sealed partial class DevelopmentKeyAndWeChatTests
{
    private const string AppId = "wx0123456789abcdef";
    private const string Secret = "test-app-secret";

    [Fact]
    public async Task DevelopmentKey_DemoAndTokenCommandTokens_AndWeChatCode2Session()
    {
        using var directory = new TempDirectory();
        await using var wechat = FakeWeChat.Start();
        string[] args =
        [
            SiloProcess.UseDevelopmentKey, "--Auth:WeChat:Mode=WeChat", $"--Auth:WeChat:AppId={AppId}", $"--Auth:WeChat:Secret={Secret}",
            $"--Auth:WeChat:Endpoint={wechat.Address}",
        ];
        var silo = await SiloProcess.StartAsync(directory.Path, true, args);
        using var http = new HttpClient { BaseAddress = silo.HttpBase, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            // The key: created on first start, readable by its owner only.
            var keyFile = Path.Combine(directory.Path, "dev-signing-key");
            Assert.True(File.Exists(keyFile));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
            }

            Assert.Equal(32, Convert.FromBase64String(await File.ReadAllTextAsync(keyFile)).Length);

            // --demo printed one token per role; each is accepted and says its role.
            var printed = DemoToken().Matches(silo.Output).ToDictionary(m => m.Groups["role"].Value, m => m.Groups["token"].Value);
            Assert.Equal(["analyst", "community_admin", "member", "operator", "subdistrict_admin", "volunteer"], printed.Keys.Order());
            foreach (var (role, token) in printed)
            {
                var me = await Me(http, token);
                Assert.Contains(role, me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
            }

            // The test key is not this server's key.
            using (var foreign = await Send(http, HttpMethod.Get, "/v1/auth/me", TestTokens.For("operator")))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, foreign.StatusCode);
            }

            // `token` makes more, with the same key.
            var (exit, output) = await SiloProcess.RunAsync(directory.Path, "token", "--role", "community_admin", "--community", "jinyan", $"--Storage:DataDirectory={directory.Path}");
            Assert.Equal(0, exit);
            var made = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Single(l => l.StartsWith("eyJ", StringComparison.Ordinal));
            using (var queue = await Send(http, HttpMethod.Get, "/v1/communities/jinyan/at-risk", made))
            {
                Assert.Equal(HttpStatusCode.OK, queue.StatusCode);
            }

            var (badExit, badOutput) = await SiloProcess.RunAsync(directory.Path, "token", "--role", "member", $"--Storage:DataDirectory={directory.Path}");
            Assert.Equal(2, badExit);
            Assert.Contains("--member", badOutput);

            // code2Session: the server asks WeChat with its appid and secret, then signs the member in.
            using (var signIn = await http.PostAsJsonAsync("/v1/auth/wechat", new { code = "code-for-heyun-0003" }))
            {
                var body = JsonDocument.Parse(await signIn.Content.ReadAsStringAsync()).RootElement;
                Assert.True(signIn.StatusCode == HttpStatusCode.OK, body.ToString());
                Assert.Equal("heyun-0003", body.GetProperty("caller").GetProperty("memberId").GetString());
                using var own = await Send(http, HttpMethod.Get, "/v1/members/heyun-0003/progress", body.GetProperty("accessToken").GetString()!);
                Assert.Equal(HttpStatusCode.OK, own.StatusCode);
            }

            var asked = wechat.Requests.Single(r => r.Contains("code-for-heyun-0003", StringComparison.Ordinal));
            Assert.Contains($"appid={AppId}", asked);
            Assert.Contains($"secret={Secret}", asked);
            Assert.Contains("grant_type=authorization_code", asked);
            Assert.StartsWith("/sns/jscode2session?", asked);

            Assert.Equal(HttpStatusCode.Unauthorized, await SignIn(http, "used-code"));
            Assert.Equal(HttpStatusCode.Forbidden, await SignIn(http, "code-for-a-stranger"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await SignIn(http, "busy"));
            await wechat.DisposeAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await SignIn(http, "code-for-heyun-0003"));

            // The key survives a restart: tokens issued before are still good.
            await silo.StopAsync();
            await silo.DisposeAsync();
            silo = await SiloProcess.StartAsync(directory.Path, false, args);
            using var again = new HttpClient { BaseAddress = silo.HttpBase, Timeout = TimeSpan.FromSeconds(30) };
            Assert.Equal("jinyan", (await Me(again, made)).GetProperty("communityId").GetString());
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }

    [GeneratedRegex(@"^\s*token (?<role>[a-z_]+)\s+\S*\s+(?<token>eyJ\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex DemoToken();

    private static async Task<JsonElement> Me(HttpClient http, string token)
    {
        using var response = await Send(http, HttpMethod.Get, "/v1/auth/me", token);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement;
    }

    private static Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, string token) =>
        http.SendAsync(new HttpRequestMessage(method, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } });

    private static async Task<HttpStatusCode> SignIn(HttpClient http, string code)
    {
        using var response = await http.PostAsJsonAsync("/v1/auth/wechat", new { code });
        return response.StatusCode;
    }

    /// <summary>WeChat's <c>/sns/jscode2session</c> as documented, on a loopback port.</summary>
    private sealed class FakeWeChat : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;

        private FakeWeChat(int port)
        {
            Address = new Uri($"http://127.0.0.1:{port}/");
            _listener.Prefixes.Add(Address.ToString());
            _listener.Start();
            _serving = Task.Run(ServeAsync);
        }

        public Uri Address { get; }

        public ConcurrentQueue<string> Requests { get; } = new();

        public static FakeWeChat Start()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return new FakeWeChat(port);
        }

        public async ValueTask DisposeAsync()
        {
            if (_listener.IsListening)
            {
                _listener.Stop();
                await _serving;
            }

            _listener.Close();
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                var query = context.Request.Url!.PathAndQuery;
                Requests.Enqueue(query);
                var code = context.Request.QueryString["js_code"];
                var reply = context.Request.QueryString["secret"] != Secret ? """{"errcode":40125,"errmsg":"invalid appsecret"}"""
                    : code switch
                    {
                        "used-code" => """{"errcode":40163,"errmsg":"code been used"}""",
                        "busy" => """{"errcode":-1,"errmsg":"system error"}""",
                        "code-for-a-stranger" => """{"openid":"oStranger0000000000000000000","session_key":"k"}""",
                        _ when code?.StartsWith("code-for-", StringComparison.Ordinal) == true =>
                            $$"""{"openid":"demo-{{code["code-for-".Length..]}}","session_key":"k"}""",
                        _ => """{"errcode":40029,"errmsg":"invalid code"}""",
                    };
                var bytes = Encoding.UTF8.GetBytes(reply);
                // WeChat labels its JSON text/plain.
                context.Response.ContentType = "text/plain";
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        }
    }
}
