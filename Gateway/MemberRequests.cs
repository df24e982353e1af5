namespace ProgressGrains.Api.V1;

/// <summary>A request about one member, so limits can be kept per member without reflection.</summary>
public interface IMemberRequest
{
    string MemberId { get; }
}

public sealed partial class GetMemberProgressRequest : IMemberRequest;

public sealed partial class CompleteLessonRequest : IMemberRequest;

public sealed partial class CheckInRequest : IMemberRequest;

public sealed partial class RecordQuizAttemptRequest : IMemberRequest;

public sealed partial class SubmitReflectionRequest : IMemberRequest;

public sealed partial class ModerateReflectionRequest : IMemberRequest;

public sealed partial class RecordVolunteeringRequest : IMemberRequest;

public sealed partial class VoidEventRequest : IMemberRequest;

public sealed partial class SetMemberFlagsRequest : IMemberRequest;

public sealed partial class ListMemberLedgerRequest : IMemberRequest;
