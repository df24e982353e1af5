using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Identity;

namespace ProgressGrains.Grains.Identity;

[GenerateSerializer, Alias("pg.WeChatAccountState")]
internal sealed class WeChatAccountState
{
    [Id(0)] public string? MemberId { get; set; }
}

/// <summary>One WeChat openid and the member it is bound to.</summary>
internal sealed class WeChatAccountGrain(
    [PersistentState("wechat", StorageNames.Progress)] IPersistentState<WeChatAccountState> state) : Grain, IWeChatAccountGrain
{
    public async Task Bind(string memberId)
    {
        if (state.State.MemberId == memberId)
        {
            return;
        }

        if (state.State.MemberId is { } other)
        {
            throw new ProgressException(ErrorKind.AlreadyExists, "openid",
                $"This WeChat openid is already bound to member '{other}'; remove it from that member's roster entry first.");
        }

        await Write(memberId);
    }

    public async Task Release(string memberId)
    {
        if (state.State.MemberId != memberId)
        {
            return;
        }

        await Write(null);
    }

    public Task<string?> GetMember() => Task.FromResult(state.State.MemberId);

    private async Task Write(string? memberId)
    {
        var previous = state.State.MemberId;
        state.State.MemberId = memberId;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            state.State.MemberId = previous;
            throw ProgressException.Unavailable($"The openid binding could not be stored ({ex.GetType().Name}); retry shortly.");
        }
    }
}
