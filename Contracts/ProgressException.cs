namespace ProgressGrains.Contracts;

/// <summary>What kind of refusal a <see cref="ProgressException"/> is; the gateway maps it to a gRPC status.</summary>
[GenerateSerializer, Alias("pg.ErrorKind")]
public enum ErrorKind
{
    InvalidArgument = 1,
    NotFound = 2,
    AlreadyExists = 3,
    FailedPrecondition = 4,
    PermissionDenied = 5,
    /// <summary>A transient failure (storage or cluster); the same request may be retried.</summary>
    Unavailable = 6,
    /// <summary>The caller could not be identified (e.g. a WeChat login code that WeChat refused).</summary>
    Unauthenticated = 7,
}

/// <summary>
/// A request the domain refuses, with a message a person can act on and the request field at fault.
/// Thrown by grains before they change anything.
/// </summary>
[GenerateSerializer, Alias("pg.ProgressException")]
public sealed class ProgressException : Exception
{
    public ProgressException(ErrorKind kind, string field, string message)
        : base(message)
    {
        Kind = kind;
        Field = field;
    }

    public ProgressException()
    {
        Field = "";
    }

    public ProgressException(string message)
        : base(message)
    {
        Field = "";
    }

    public ProgressException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "";
    }

    [Id(0)]
    public ErrorKind Kind { get; init; }

    /// <summary>The request field at fault, in the public API's snake_case (e.g. <c>lesson_id</c>).</summary>
    [Id(1)]
    public string Field { get; init; }

    public static ProgressException NotFound(string field, string message) => new(ErrorKind.NotFound, field, message);

    public static ProgressException Invalid(string field, string message) => new(ErrorKind.InvalidArgument, field, message);

    public static ProgressException Unavailable(string message) => new(ErrorKind.Unavailable, "", message);
}
