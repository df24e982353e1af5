using ProgressGrains.Bench.Harness;

namespace ProgressGrains.Bench.Load;

/// <summary>
/// One action of a member: a fresh client event id, and a target (lesson, site, quiz) the member
/// has not used yet, so that every event is a real write in either system.
/// </summary>
public sealed record PlannedEvent(BenchMember Member, Guid EventId, EventKind Kind, string Target, DateTimeOffset OccurredAt);
