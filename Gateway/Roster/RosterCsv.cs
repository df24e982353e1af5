using System.Globalization;
using System.Text;
using nietras.SeparatedValues;
using ProgressGrains.Api.V1;
using ProgressGrains.Contracts;

namespace ProgressGrains.Gateway.Roster;

/// <summary>One data row of a roster file, as parsed; <see cref="Flags"/> and <see cref="OpenId"/> are null when their column is absent.</summary>
internal sealed record RosterRow(int Line, string MemberId, string Name, string CommunityId, string GridId, int? BirthYear, MemberFlags? Flags, string? OpenId, bool HasOpenIdColumn);

/// <summary>
/// A parsed roster: rows whose ids are sound (with or without other problems), the number of data
/// rows, the problems found, the columns ignored, and each recognised column's name as the file
/// writes it (e.g. community_id → 社区), for reports.
/// </summary>
internal sealed record ParsedRoster(List<RosterRow> Rows, int DataRows, List<RosterProblem> Problems, List<string> IgnoredColumns, Dictionary<string, string> ColumnNames);

/// <summary>
/// Reads a community secretary's roster CSV (Sep: quoting, embedded commas and newlines; BOM by the reader)
/// and checks every row on its own and against the others; checks that need the engine (does the
/// community exist, whose is the openid) are <see cref="RosterImporter"/>'s.
/// </summary>
internal static class RosterCsv
{
    public const int MaxNameLength = 64;
    public const int MaxRows = 100_000;

    private static readonly (string Canonical, string[] Aliases, bool Required)[] Columns =
    [
        ("member_id", ["member_id", "党员编号"], true),
        ("name", ["name", "姓名"], true),
        ("community_id", ["community_id", "社区"], true),
        ("grid", ["grid", "网格"], true),
        ("birth_year", ["birth_year", "出生年份"], true),
        ("flags", ["flags", "标记"], false),
        ("openid", ["openid", "微信openid"], false),
    ];

    private static readonly Dictionary<string, MemberFlags> FlagNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["elderly"] = MemberFlags.Elderly, ["老年"] = MemberFlags.Elderly, ["高龄"] = MemberFlags.Elderly,
        ["housebound"] = MemberFlags.Housebound, ["居家"] = MemberFlags.Housebound, ["行动不便"] = MemberFlags.Housebound,
        ["mobile"] = MemberFlags.Mobile, ["流动"] = MemberFlags.Mobile, ["流动党员"] = MemberFlags.Mobile,
    };

    /// <exception cref="ProgressException">InvalidArgument: the file as a whole is unusable (empty, or a required column missing).</exception>
    public static ParsedRoster Parse(Stream file)
    {
        try
        {
            return ParseCsv(file);
        }
        catch (ArgumentException ex)
        {
            // The reader refuses some headers outright (e.g. a column named twice).
            throw ProgressException.Invalid("file", $"The roster cannot be read as CSV: {ex.Message}");
        }
        catch (InvalidDataException ex)
        {
            throw ProgressException.Invalid("file", $"The roster cannot be read as CSV: {ex.Message}");
        }
    }

    private static ParsedRoster ParseCsv(Stream file)
    {
        using var text = new StreamReader(file, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        using var csv = Sep.New(',').Reader(o => o with { Unescape = true, Trim = SepTrim.All, DisableColCountCheck = true, HasHeader = true }).From(text);
        var header = csv.Header.ColNames.ToArray();
        if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace))
        {
            throw ProgressException.Invalid("file", "The roster file is empty: it needs a header row (member_id,name,community_id,grid,birth_year[,flags][,openid]) and a row per member.");
        }

        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        var ignored = new List<string>();
        for (var i = 0; i < header.Length; i++)
        {
            var name = header[i].Trim().TrimStart('\uFEFF');
            var column = Columns.FirstOrDefault(c => c.Aliases.Contains(name, StringComparer.OrdinalIgnoreCase));
            if (column.Canonical is null)
            {
                ignored.Add(name);
            }
            else if (!positions.TryAdd(column.Canonical, i))
            {
                throw ProgressException.Invalid("file", $"The header names the column {column.Canonical} twice (line 1); keep one.");
            }
        }

        var missing = Columns.Where(c => c.Required && !positions.ContainsKey(c.Canonical)).Select(c => $"{c.Canonical} ({c.Aliases[1]})").ToArray();
        if (missing.Length > 0)
        {
            throw ProgressException.Invalid("file",
                $"The header (line 1) lacks the column{(missing.Length > 1 ? "s" : "")} {string.Join(", ", missing)}; it has {string.Join(", ", header)}.");
        }

        var rows = new List<RosterRow>();
        var problems = new List<RosterProblem>();
        var dataRows = 0;
        var firstLineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var firstLineOfOpenId = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var record in csv)
        {
            var line = record.LineNumberFrom;
            var fields = new string[record.ColCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = record[i].ToString().Trim();
            }

            string Field(string column) => positions.TryGetValue(column, out var at) && at < fields.Length ? fields[at] : "";
            if (fields.All(f => f.Length == 0))
            {
                continue; // a spreadsheet's empty row
            }

            if (++dataRows > MaxRows)
            {
                throw ProgressException.Invalid("file", $"The roster has more than {MaxRows} rows; split it by community.");
            }

            void Problem(string column, string reason) => problems.Add(new RosterProblem { Line = line, Column = column, Reason = reason });

            var memberId = Field("member_id");
            if (Ids.Problem(memberId) is { } idProblem)
            {
                Problem(Header(header, positions, "member_id"), $"member_id {Quote(memberId)}{idProblem}.");
            }
            else if (firstLineOf.TryGetValue(memberId, out var earlier))
            {
                Problem(Header(header, positions, "member_id"), $"member {memberId} is also on line {earlier}; keep one row per member.");
            }
            else
            {
                firstLineOf[memberId] = line;
            }

            var name = Field("name");
            if (name.Length == 0)
            {
                Problem(Header(header, positions, "name"), "name is required.");
            }
            else if (name.Length > MaxNameLength || name.Any(char.IsControl))
            {
                Problem(Header(header, positions, "name"), $"name must be at most {MaxNameLength} characters on one line.");
            }

            var communityId = Field("community_id");
            if (Ids.Problem(communityId) is { } communityProblem)
            {
                Problem(Header(header, positions, "community_id"), $"community_id {Quote(communityId)}{communityProblem}.");
            }

            var gridId = Field("grid");
            if (Ids.Problem(gridId) is { } gridProblem)
            {
                Problem(Header(header, positions, "grid"), $"grid {Quote(gridId)}{gridProblem}.");
            }

            int? birthYear = null;
            var birth = Field("birth_year");
            if (birth.Length > 0)
            {
                if (int.TryParse(birth, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year >= 1900 && year <= DateTime.UtcNow.Year)
                {
                    birthYear = year;
                }
                else
                {
                    Problem(Header(header, positions, "birth_year"), $"birth_year '{Shorten(birth)}' is not a year between 1900 and {DateTime.UtcNow.Year} (leave it empty when unknown).");
                }
            }

            MemberFlags? flags = null;
            if (positions.ContainsKey("flags"))
            {
                flags = MemberFlags.None;
                foreach (var token in Field("flags").Split([';', '|', ',', '、', ' ', '，', '；'], StringSplitOptions.RemoveEmptyEntries))
                {
                    if (FlagNames.TryGetValue(token, out var flag))
                    {
                        flags |= flag;
                    }
                    else
                    {
                        Problem(Header(header, positions, "flags"), $"flag '{Shorten(token)}' is not one of elderly (老年), housebound (居家), mobile (流动); separate several with ';'.");
                    }
                }
            }

            string? openId = null;
            if (positions.ContainsKey("openid") && Field("openid") is { Length: > 0 } value)
            {
                if (Ids.Problem(value) is { } openIdProblem)
                {
                    Problem(Header(header, positions, "openid"), $"openid {Quote(value)}{openIdProblem}.");
                }
                else if (firstLineOfOpenId.TryGetValue(value, out var earlier))
                {
                    Problem(Header(header, positions, "openid"), $"openid {value} is also on line {earlier}; a WeChat account signs in as one member.");
                }
                else
                {
                    firstLineOfOpenId[value] = line;
                    openId = value;
                }
            }

            // Rows whose ids are sound are also checked against the engine, so the report lists
            // every problem of a row at once; only rows without any are imported.
            if (Ids.IsValid(memberId) && Ids.IsValid(communityId) && Ids.IsValid(gridId))
            {
                rows.Add(new RosterRow(line, memberId, name, communityId, gridId, birthYear, flags, openId, positions.ContainsKey("openid")));
            }
        }

        return new ParsedRoster(rows, dataRows, problems, ignored,
            positions.ToDictionary(p => p.Key, p => Header(header, positions, p.Key), StringComparer.Ordinal));
    }

    private static string Header(string[] header, Dictionary<string, int> positions, string column) => header[positions[column]].Trim().TrimStart('\uFEFF');

    private static string Quote(string value) => value.Length == 0 ? "" : $"'{Shorten(value)}' ";

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
