using System.Globalization;
using ProgressGrains.Gateway.Security;

namespace ProgressGrains.Silo;

/// <summary>
/// <c>token --role ROLE [--role ROLE] [--member ID] [--community ID] [--subdistrict ID]
/// [--volunteer ID] [--subject NAME] [--hours N]</c>: prints a token signed with this server's key
/// (on the embedded default, the development key in the data directory, created if missing).
/// </summary>
internal static class TokenCommand
{
    public const string Usage = """
        usage: dotnet run --project Silo -- token --role ROLE [--role ROLE ...] [--member ID] [--community ID]
                                                 [--subdistrict ID] [--volunteer ID] [--subject NAME] [--hours N]
          roles: member (--member), volunteer (--volunteer, --community), community_admin (--community),
                 subdistrict_admin (--subdistrict), analyst ([--subdistrict]), operator
          The token is valid for --hours (default 24) against this server's signing key.
        """;

    /// <summary>Splits the command's own options from configuration arguments (<c>--Key=value</c>).</summary>
    public static (TokenRequest? Request, string? Error, string[] ConfigurationArgs) Parse(IReadOnlyList<string> args)
    {
        var roles = new List<string>();
        string? member = null, community = null, subdistrict = null, volunteer = null, subject = null;
        var hours = 24.0;
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var option = args[i];
            if (option is not ("--role" or "--member" or "--community" or "--subdistrict" or "--volunteer" or "--subject" or "--hours"))
            {
                rest.Add(option);
                continue;
            }

            if (i + 1 >= args.Count)
            {
                return (null, $"{option} needs a value.", []);
            }

            var value = args[++i];
            switch (option)
            {
                case "--role":
                    roles.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "--member":
                    member = value;
                    break;
                case "--community":
                    community = value;
                    break;
                case "--subdistrict":
                    subdistrict = value;
                    break;
                case "--volunteer":
                    volunteer = value;
                    break;
                case "--subject":
                    subject = value;
                    break;
                default:
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out hours) || hours <= 0)
                    {
                        return (null, $"--hours '{value}' is not a positive number.", []);
                    }

                    break;
            }
        }

        var request = new TokenRequest(roles, member, community, subdistrict, volunteer, subject, TimeSpan.FromHours(hours));
        var problems = TokenIssuer.Problems(request);
        return problems.Count > 0 ? (null, string.Join(Environment.NewLine, problems), []) : (request, null, [.. rest]);
    }
}
