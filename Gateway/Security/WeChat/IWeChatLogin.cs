namespace ProgressGrains.Gateway.Security.WeChat;

/// <summary>A WeChat account, as WeChat identifies it to this mini-program.</summary>
public sealed record WeChatAccount(string OpenId, string? UnionId);

/// <summary>
/// Exchanges the code of the mini-program's <c>wx.login</c> for the WeChat account that made it.
/// Throws <see cref="Contracts.ProgressException"/>: Unauthenticated for a code WeChat refuses,
/// Unavailable when WeChat cannot be asked, FailedPrecondition when sign-in is not configured.
/// </summary>
public interface IWeChatLogin
{
    Task<WeChatAccount> ExchangeCodeAsync(string code, CancellationToken cancellationToken);
}
