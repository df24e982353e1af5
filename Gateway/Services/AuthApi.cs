using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ProgressGrains.Api.V1;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Identity;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Gateway.Security;
using ProgressGrains.Gateway.Security.WeChat;

namespace ProgressGrains.Gateway.Services;

/// <summary>Sign-in with WeChat, and who the caller is.</summary>
internal sealed class AuthApi(IGrainFactory grains, IWeChatLogin wechat, TokenIssuer issuer) : AuthService.AuthServiceBase
{
    public const int MaxCodeLength = 256;

    public override async Task<SignInResponse> SignInWithWeChat(SignInWithWeChatRequest request, ServerCallContext context)
    {
        var validation = new RequestValidation();
        if (request.Code.Length == 0)
        {
            validation.Add("code", "code is required: the code wx.login returned.");
        }
        else if (request.Code.Length > MaxCodeLength)
        {
            validation.Add("code", $"code is {request.Code.Length} characters long; a wx.login code is far shorter.");
        }

        validation.ThrowIfInvalid();

        var account = await wechat.ExchangeCodeAsync(request.Code, context.CancellationToken);
        var memberId = Ids.IsValid(account.OpenId) ? await grains.GetGrain<IWeChatAccountGrain>(account.OpenId).GetMember() : null;
        var profile = memberId is null ? null : await grains.GetGrain<IMemberGrain>(memberId).GetProfile();
        if (profile is null || profile.OpenId != account.OpenId)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                "This WeChat account is on no community's roster; ask your community secretary to add its openid to your roster entry."));
        }

        var token = issuer.Issue(new TokenRequest([Roles.Member], MemberId: profile.MemberId));
        return new SignInResponse
        {
            AccessToken = token.Token,
            ExpiresAt = Timestamp.FromDateTimeOffset(token.ExpiresAt),
            Caller = new CallerIdentity { Subject = token.Subject, Roles = { Roles.Member }, MemberId = profile.MemberId },
        };
    }

    public override Task<CallerIdentity> GetCaller(GetCallerRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        return Task.FromResult(new CallerIdentity
        {
            Subject = caller.Subject,
            Roles = { caller.Roles.Order(StringComparer.Ordinal) },
            MemberId = caller.MemberId ?? "",
            CommunityId = caller.CommunityId ?? "",
            SubdistrictId = caller.SubdistrictId ?? "",
            VolunteerId = caller.VolunteerId ?? "",
        });
    }
}
