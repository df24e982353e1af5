using System.Buffers.Text;
using System.Text;
using Grpc.Core;

namespace ProgressGrains.Gateway;

/// <summary>Page sizes and opaque page tokens, the Google API way.</summary>
internal static class Paging
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;
    private const string Prefix = "after:";
    private const string OffsetPrefix = "offset:";

    public static string Token(string? lastKey) =>
        lastKey is null ? "" : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + lastKey));

    /// <summary>The key a page token resumes after, or null for the first page.</summary>
    public static string? After(string token, RequestValidation validation)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (text.StartsWith(Prefix, StringComparison.Ordinal) && text.Length > Prefix.Length)
            {
                return text[Prefix.Length..];
            }
        }
        catch (FormatException)
        {
        }

        validation.Add("page_token", "page_token is not one this server issued; pass the next_page_token of the previous page, or nothing for the first page.");
        return null;
    }

    /// <summary>A token for a list that only grows at its end (a ledger): resume at an offset.</summary>
    public static string OffsetToken(int offset) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(OffsetPrefix + offset.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The offset a page token resumes at, or 0 for the first page.</summary>
    public static int Offset(string token, RequestValidation validation)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (text.StartsWith(OffsetPrefix, StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(OffsetPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
        }

        validation.Add("page_token", "page_token is not one this server issued; pass the next_page_token of the previous page, or nothing for the first page.");
        return 0;
    }
}
