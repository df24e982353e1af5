using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using ProgressGrains.Contracts;

namespace ProgressGrains.Gateway.Security.WeChat;

/// <summary>
/// WeChat's own exchange (<c>Auth:WeChat:Mode=WeChat</c>): <c>GET /sns/jscode2session</c> with the
/// mini-program's appid and secret. The session key WeChat also returns is not kept: this server
/// issues its own token and never decrypts WeChat user data.
/// </summary>
internal sealed partial class WeChatCode2SessionLogin(HttpClient http, IOptions<AuthOptions> options, ILogger<WeChatCode2SessionLogin> logger) : IWeChatLogin
{
    public async Task<WeChatAccount> ExchangeCodeAsync(string code, CancellationToken cancellationToken)
    {
        var wechat = options.Value.WeChat;
        var query = $"sns/jscode2session?appid={Uri.EscapeDataString(wechat.AppId ?? "")}&secret={Uri.EscapeDataString(wechat.Secret ?? "")}"
            + $"&js_code={Uri.EscapeDataString(code)}&grant_type=authorization_code";
        Code2SessionReply? reply;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(wechat.Timeout);
            using var response = await http.GetAsync(new Uri(wechat.Endpoint, query), timeout.Token);
            response.EnsureSuccessStatusCode();
            // WeChat answers JSON, sometimes labelled text/plain.
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            reply = JsonSerializer.Deserialize(body, WeChatJson.Default.Code2SessionReply);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogUnreachable(logger, ex);
            throw ProgressException.Unavailable("WeChat could not be reached to check the login code; call wx.login again and retry shortly.");
        }

        switch (reply)
        {
            case { ErrCode: 0 or null, OpenId: { Length: > 0 } openId }:
                return new WeChatAccount(openId, reply.UnionId);
            case { ErrCode: 40029 or 40163 }:
                throw new ProgressException(ErrorKind.Unauthenticated, "code",
                    "WeChat did not accept the login code (it is used once and expires after five minutes); call wx.login again.");
            case { ErrCode: 40226 }:
                throw new ProgressException(ErrorKind.PermissionDenied, "code", "WeChat blocked this account's login as high-risk.");
            case { ErrCode: 45011 or -1 }:
                throw ProgressException.Unavailable("WeChat is busy or limiting logins; retry in a minute.");
            default:
                LogRefused(logger, reply?.ErrCode, reply?.ErrMsg);
                throw ProgressException.Unavailable("WeChat sign-in failed on the server's side (its appid or secret may be wrong); the operators have been told in the log.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeChat code2Session could not be reached")]
    private static partial void LogUnreachable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "WeChat code2Session refused the exchange: errcode {ErrCode}, {ErrMsg}; check Auth:WeChat:AppId and Auth:WeChat:Secret")]
    private static partial void LogRefused(ILogger logger, int? errCode, string? errMsg);
}

internal sealed record Code2SessionReply(
    [property: JsonPropertyName("openid")] string? OpenId,
    [property: JsonPropertyName("unionid")] string? UnionId,
    [property: JsonPropertyName("errcode")] int? ErrCode,
    [property: JsonPropertyName("errmsg")] string? ErrMsg);

[JsonSerializable(typeof(Code2SessionReply))]
internal sealed partial class WeChatJson : JsonSerializerContext;
