using System.Collections.Immutable;

namespace ProgressGrains.Contracts.Members;

/// <summary>
/// One party member: the source of truth for their learning. Key: the member id
/// (<see cref="GrainKeys.Member"/>). Every write is keyed by a client event id and applied once.
/// </summary>
[Alias("pg.IMemberGrain")]
public interface IMemberGrain : IGrainWithStringKey
{
    /// <summary>Puts the member on the roster, or updates their profile; the same profile again changes nothing.</summary>
    [Alias("Enroll")]
    Task Enroll(MemberProfile profile);

    /// <summary>The member's profile, or null when the member is not enrolled.</summary>
    /// <remarks>Interleaves (it only reads): a subdistrict asks it from its own turn, and should not wait out the member's event.</remarks>
    [AlwaysInterleave, Alias("GetProfile")]
    Task<MemberProfile?> GetProfile();

    [Alias("CompleteLesson")]
    Task<LessonResult> CompleteLesson(CompleteLessonCommand command, CancellationToken cancellationToken = default);

    [Alias("CheckIn")]
    Task<CheckInResult> CheckIn(CheckInCommand command, CancellationToken cancellationToken = default);

    [Alias("AttemptQuiz")]
    Task<ActivityResult> AttemptQuiz(QuizAttemptCommand command, CancellationToken cancellationToken = default);

    [Alias("SubmitReflection")]
    Task<ActivityResult> SubmitReflection(ReflectionCommand command, CancellationToken cancellationToken = default);

    [Alias("Volunteer")]
    Task<ActivityResult> Volunteer(VolunteerCommand command, CancellationToken cancellationToken = default);

    /// <summary>A community admin approves, rejects or features one of the member's reflections.</summary>
    [Alias("ModerateReflection")]
    Task<ActivityResult> ModerateReflection(ModerateReflectionCommand command, CancellationToken cancellationToken = default);

    /// <summary>Voids one of the member's events (any season); voiding it again changes nothing.</summary>
    [Alias("VoidEvent")]
    Task<ActivityResult> VoidEvent(VoidEventCommand command, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets (or clears) the squad volunteer assigned to this member: the only one who may record home deliveries.
    /// </summary>
    /// <remarks>
    /// Interleaves: the community calls it from its own turn, possibly while this member's event waits
    /// for that community to take its contribution. Run in turn, each would wait for the other until
    /// the call timed out (30 s), with the community's other contributions stuck behind. The member
    /// still never overlaps two writes of its state.
    /// </remarks>
    [AlwaysInterleave, Alias("SetOutreachVolunteer")]
    Task SetOutreachVolunteer(string? volunteerId);

    /// <summary>Progress in a season (empty or <c>current</c>: the current season).</summary>
    [ReadOnly, Alias("GetProgress")]
    Task<MemberProgress> GetProgress(string? seasonId, CancellationToken cancellationToken = default);

    /// <summary>A page of the season's ledger: entries after the first <paramref name="skip"/>.</summary>
    [ReadOnly, Alias("GetLedger")]
    Task<LedgerPage> GetLedger(string? seasonId, int skip, int take, CancellationToken cancellationToken = default);

    /// <summary>
    /// What this member adds to their community's rollups, one per season, as last written to
    /// storage. Interleaves with writes, so a community can rebuild while its members are calling it.
    /// </summary>
    [AlwaysInterleave, Alias("GetContributions")]
    Task<ImmutableArray<MemberContribution>> GetContributions();
}
