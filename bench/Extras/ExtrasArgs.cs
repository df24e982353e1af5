using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace ProgressGrains.Bench.Extras;

/// <summary>
/// The extra commands' options: <c>--name value</c> pairs, flags, and
/// <c>--ConnectionStrings:Progress=...</c> (or the environment's <c>ConnectionStrings__Progress</c>)
/// for an existing PostgreSQL server, as in <c>compare</c>. Unknown options are errors.
/// </summary>
public sealed class ExtrasArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _settings = new(StringComparer.OrdinalIgnoreCase);

    private ExtrasArgs()
    {
    }

    public bool Help { get; private init; }

    /// <summary>Parses <paramref name="args"/>, knowing <paramref name="valued"/> options (with a value) and <paramref name="flags"/>.</summary>
    public static ExtrasArgs Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> valued, IReadOnlyCollection<string> flags)
    {
        var parsed = new ExtrasArgs { Help = args.Any(a => a is "--help" or "-h") };
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h")
            {
                continue;
            }

            if (valued.Contains(arg))
            {
                parsed._values[arg] = i + 1 < args.Count ? args[++i] : throw new FormatException($"{arg} needs a value");
            }
            else if (flags.Contains(arg))
            {
                parsed._flags.Add(arg);
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains(':', StringComparison.Ordinal) && arg.Contains('=', StringComparison.Ordinal))
            {
                var split = arg.IndexOf('=', StringComparison.Ordinal);
                parsed._settings[arg[2..split]] = arg[(split + 1)..];
            }
            else
            {
                throw new FormatException($"unknown option '{arg}'");
            }
        }

        return parsed;
    }

    public int Number(string name, int fallback, int min, int max)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new FormatException($"{name} takes a whole number from {min} to {max}");
    }

    public double Fraction(string name, double fallback)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f is > 0 and <= 1
            ? f
            : throw new FormatException($"{name} takes a fraction above 0 and at most 1");
    }

    public bool Flag(string name) => _flags.Contains(name);

    /// <summary>An existing PostgreSQL server to use instead of a throwaway one; null when none is given.</summary>
    public string? ConnectionString
    {
        get
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(_settings).Build();
            return configuration.GetConnectionString("Progress") is { Length: > 0 } cs ? cs : null;
        }
    }
}
