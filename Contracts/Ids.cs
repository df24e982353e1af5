using System.Buffers;

namespace ProgressGrains.Contracts;

/// <summary>
/// The shape of every identifier the engine accepts (members, communities, grids, lessons, sites,
/// seasons, volunteers): 1 to 64 characters of ASCII letters, digits, '-', '_' and '.', starting
/// with a letter or digit. Narrow on purpose: ids appear in URLs, logs, CSV files and storage keys.
/// </summary>
public static class Ids
{
    public const int MaxLength = 64;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");

    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id)
        && id.Length <= MaxLength
        && char.IsAsciiLetterOrDigit(id[0])
        && !id.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>Why <paramref name="id"/> is not valid, or null when it is.</summary>
    public static string? Problem(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "is required";
        }

        if (id.Length > MaxLength)
        {
            return $"is {id.Length} characters long; at most {MaxLength} are allowed";
        }

        return IsValid(id)
            ? null
            : "may contain only ASCII letters, digits, '-', '_' and '.', and must start with a letter or digit";
    }

    public static string Require(string? id, string what) =>
        Problem(id) is { } problem ? throw new ArgumentException($"{what} {problem}.", what) : id!;
}
