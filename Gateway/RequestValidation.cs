using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using ProgressGrains.Contracts;
using Status = Google.Rpc.Status;

namespace ProgressGrains.Gateway;

/// <summary>
/// Checks the shape of a request before any grain is called. Every problem found is reported
/// at once, as InvalidArgument with a <c>google.rpc.BadRequest</c> naming each field.
/// </summary>
internal sealed class RequestValidation
{
    private readonly List<BadRequest.Types.FieldViolation> _violations = [];

    public string Id(string value, string field)
    {
        if (Ids.Problem(value) is { } problem)
        {
            Add(field, $"{field} {(string.IsNullOrEmpty(value) ? "" : $"'{Shorten(value)}' ")}{problem}.");
        }

        return value;
    }

    public string? OptionalId(string value, string field) => string.IsNullOrEmpty(value) ? null : Id(value, field);

    /// <summary>A season id, or null for the current season (empty or <c>current</c>).</summary>
    public string? Season(string value, string field = "season_id") =>
        string.IsNullOrEmpty(value) || string.Equals(value, "current", StringComparison.OrdinalIgnoreCase) ? null : Id(value, field);

    public Guid EventId(string value, string field = "event_id")
    {
        if (string.IsNullOrEmpty(value))
        {
            Add(field, $"{field} is required: a UUID the client generates once per action and reuses on retries.");
            return Guid.Empty;
        }

        if (!Guid.TryParse(value, out var id) || id == Guid.Empty)
        {
            Add(field, $"{field} '{Shorten(value)}' is not a UUID (e.g. 3f2c8a1e-9b7d-4c55-8e21-5a0d6f4b9c13).");
            return Guid.Empty;
        }

        return id;
    }

    public DateTimeOffset? Timestamp(Timestamp? value, string field)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            return value.ToDateTimeOffset();
        }
        catch (InvalidOperationException)
        {
            Add(field, $"{field} is not a valid timestamp.");
            return null;
        }
    }

    public int PageSize(int value, string field = "page_size")
    {
        if (value < 0)
        {
            Add(field, $"{field} must not be negative.");
        }

        return value == 0 ? Paging.DefaultPageSize : Math.Min(value, Paging.MaxPageSize);
    }

    public void Add(string field, string description) =>
        _violations.Add(new BadRequest.Types.FieldViolation { Field = field, Description = description });

    /// <summary>Throws InvalidArgument listing every problem found, if any.</summary>
    public void ThrowIfInvalid()
    {
        if (_violations.Count == 0)
        {
            return;
        }

        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(_violations);
        throw new Status
        {
            Code = (int)Code.InvalidArgument,
            Message = string.Join(" ", _violations.Select(v => v.Description)),
            Details = { Any.Pack(badRequest) },
        }.ToRpcException();
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
