using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using ProgressGrains.Bench.Harness;

namespace ProgressGrains.Bench.Load;

/// <summary>
/// Simulated mini-program clients against one system over one protocol: ingest (lessons, check-ins,
/// quiz attempts with fresh event ids, retried with the same id while the outcome is unknown), and
/// reads of member progress and community rollups. Each caller uses its member's own token.
/// </summary>
public sealed class LoadGenerator(IProgressApi api, BenchTokens tokens, LoadSettings settings)
{
    /// <summary>Processes whose CPU time over the measured window is reported per operation (server, PostgreSQL, load generator).</summary>
    public IReadOnlyList<CpuMeter> Meters { get; init; } = [];

    public async Task<PhaseResult> IngestAsync(string system, EventPlanner planner, AcknowledgedLog log, CancellationToken cancellationToken, string phase = "ingest")
    {
        var counter = new PhaseCounter();
        var (resendsBefore, duplicatesBefore, firstBefore) = (log.Resends, log.ResendsAnsweredDuplicate, log.FirstAnswersDuplicate);
        var window = PhaseWindow.Start(settings.Warmup, settings.Duration);
        var cpu = await RunCallersAsync(window, async (random, ct) =>
        {
            var planned = planner.Next(random);
            var started = Stopwatch.GetTimestamp();
            var duplicate = await SendWithRetriesAsync(planned, counter, ct);
            var ended = Stopwatch.GetTimestamp();
            if (duplicate is null)
            {
                log.GiveUp(planned);
                Interlocked.Increment(ref counter.GivenUp);
                return;
            }

            log.Acknowledge(planned, duplicate.Value);
            counter.Completed(window, started, ended);
            if (random.NextDouble() < settings.ResendFraction)
            {
                // As a mini-program does when the acknowledgement was lost: the same event again.
                if (await SendWithRetriesAsync(planned, counter, ct) is { } again)
                {
                    log.Resent(planned, again);
                }
            }
        }, cancellationToken);
        return counter.Result(system, api.Protocol, phase, settings.Duration, cpu,
            $"resent {log.Resends - resendsBefore} acknowledged events, {log.ResendsAnsweredDuplicate - duplicatesBefore} answered duplicate; "
            + $"{log.FirstAnswersDuplicate - firstBefore} first acknowledgements said duplicate (a retried attempt had been stored)");
    }

    public async Task<PhaseResult> ReadProgressAsync(string system, BenchRoster roster, CancellationToken cancellationToken)
    {
        var counter = new PhaseCounter();
        var window = PhaseWindow.Start(settings.Warmup, settings.Duration);
        var cpu = await RunCallersAsync(window, async (random, ct) =>
        {
            var member = roster.Members[random.Next(roster.Members.Count)];
            await ReadAsync(window, counter, () => api.ReadProgressAsync(member, tokens.Member(member), ct));
        }, cancellationToken);
        return counter.Result(system, api.Protocol, "member progress read", settings.Duration, cpu);
    }

    public async Task<PhaseResult> ReadRollupsAsync(string system, BenchRoster roster, CancellationToken cancellationToken)
    {
        var counter = new PhaseCounter();
        var window = PhaseWindow.Start(settings.Warmup, settings.Duration);
        var token = tokens.Analyst(BenchRoster.SubdistrictId);
        var cpu = await RunCallersAsync(window, async (random, ct) =>
        {
            var community = roster.Communities[random.Next(roster.Communities.Count)];
            await ReadAsync(window, counter, () => api.ReadRollupAsync(community, token, ct));
        }, cancellationToken);
        return counter.Result(system, api.Protocol, "community rollup read", settings.Duration, cpu);
    }

    /// <summary>Runs the callers until the window ends; the CPU time each meter saw during the measured window.</summary>
    private async Task<IReadOnlyDictionary<string, TimeSpan>> RunCallersAsync(PhaseWindow window, Func<Random, CancellationToken, Task> step, CancellationToken cancellationToken)
    {
        var metering = MeterWindowAsync(cancellationToken);
        var callers = Enumerable.Range(0, settings.Concurrency).Select(i => Task.Run(async () =>
        {
            var random = new Random(HashCode.Combine(i, Environment.TickCount));
            while (window.Running)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await step(random, cancellationToken);
            }
        }, cancellationToken));
        await Task.WhenAll(callers);
        return await metering;
    }

    /// <summary>CPU per meter from the end of the warm-up to the end of the measured window (the same clock as <see cref="PhaseWindow"/>).</summary>
    private async Task<IReadOnlyDictionary<string, TimeSpan>> MeterWindowAsync(CancellationToken cancellationToken)
    {
        if (Meters.Count == 0)
        {
            return new Dictionary<string, TimeSpan>();
        }

        await Task.Delay(settings.Warmup, cancellationToken);
        var before = Meters.Select(m => m.Read()).ToArray();
        await Task.Delay(settings.Duration, cancellationToken);
        return Meters.Select((m, i) => (m.Name, Used: m.Read() - before[i])).ToDictionary(x => x.Name, x => x.Used);
    }

    private static async Task ReadAsync(PhaseWindow window, PhaseCounter counter, Func<Task> read)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await read();
            counter.Completed(window, started, Stopwatch.GetTimestamp());
        }
        catch (CallFailedException ex)
        {
            counter.Failed(ex.Code);
        }
    }

    /// <summary>The duplicate flag of the acknowledgement, or null when the event was given up.</summary>
    private async Task<bool?> SendWithRetriesAsync(PlannedEvent planned, PhaseCounter counter, CancellationToken cancellationToken)
    {
        var token = tokens.Member(planned.Member);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await api.SendAsync(planned, token, cancellationToken);
            }
            catch (CallFailedException ex)
            {
                counter.Failed(ex.Code);
                if (!ex.Retryable || attempt >= settings.MaxAttempts)
                {
                    counter.RememberFailure(ex);
                    return null;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 50 << attempt)), cancellationToken);
            }
        }
    }

    /// <summary>Counts of one phase, shared by its callers.</summary>
    private sealed class PhaseCounter
    {
        public int GivenUp;
        private readonly LatencyRecorder _latencies = new();
        private readonly ConcurrentDictionary<StatusCode, int> _errors = new();
        private string? _firstFailure;

        public void Completed(PhaseWindow window, long started, long ended)
        {
            if (window.Counts(ended))
            {
                _latencies.Record(started, ended);
            }
        }

        public void Failed(StatusCode code) => _errors.AddOrUpdate(code, 1, (_, n) => n + 1);

        public void RememberFailure(CallFailedException ex) => Interlocked.CompareExchange(ref _firstFailure, ex.Message, null);

        public PhaseResult Result(string system, string protocol, string phase, TimeSpan duration, IReadOnlyDictionary<string, TimeSpan> cpu, string? note = null)
        {
            var latency = _latencies.Summarize();
            var failure = _firstFailure is null ? null : $"first event given up: {_firstFailure}";
            return new PhaseResult(system, protocol, phase, latency.Count, duration.TotalSeconds, latency, new Dictionary<StatusCode, int>(_errors), GivenUp,
                note is null ? failure : failure is null ? note : $"{note}; {failure}")
            {
                CpuMsPerOperation = latency.Count == 0
                    ? new Dictionary<string, double>()
                    : cpu.ToDictionary(c => c.Key, c => c.Value.TotalMilliseconds / latency.Count),
            };
        }
    }
}
