using ProgressGrains.Bench.Harness;

namespace ProgressGrains.Bench.Load;

/// <summary>The calls the load generator makes, over one protocol; failures throw <see cref="CallFailedException"/>.</summary>
public interface IProgressApi : IDisposable
{
    /// <summary>"gRPC" or "JSON".</summary>
    string Protocol { get; }

    /// <summary>Sends the event with the member's token; returns whether the server answered duplicate.</summary>
    Task<bool> SendAsync(PlannedEvent planned, string token, CancellationToken cancellationToken);

    Task ReadProgressAsync(BenchMember member, string token, CancellationToken cancellationToken);

    Task ReadRollupAsync(string communityId, string token, CancellationToken cancellationToken);
}
