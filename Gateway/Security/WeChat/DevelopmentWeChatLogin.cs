using ProgressGrains.Contracts;

namespace ProgressGrains.Gateway.Security.WeChat;

/// <summary>
/// Development stand-in for WeChat (<c>Auth:WeChat:Mode=Development</c>): the code is taken as the
/// openid, so code <c>demo-wenhua-0001</c> signs in as the demo member with that openid.
/// </summary>
internal sealed class DevelopmentWeChatLogin : IWeChatLogin
{
    public Task<WeChatAccount> ExchangeCodeAsync(string code, CancellationToken cancellationToken) =>
        Ids.IsValid(code)
            ? Task.FromResult(new WeChatAccount(code, null))
            : throw new ProgressException(ErrorKind.Unauthenticated, "code", "In development the code is the openid itself: letters, digits, '-', '_' and '.', at most 64 characters.");
}

/// <summary>Sign-in with WeChat switched off (<c>Auth:WeChat:Mode=Disabled</c>, the default outside the embedded silo).</summary>
internal sealed class DisabledWeChatLogin : IWeChatLogin
{
    public Task<WeChatAccount> ExchangeCodeAsync(string code, CancellationToken cancellationToken) =>
        throw new ProgressException(ErrorKind.FailedPrecondition, "",
            "Sign-in with WeChat is not configured on this server: set Auth:WeChat:Mode=WeChat with Auth:WeChat:AppId and Auth:WeChat:Secret.");
}
