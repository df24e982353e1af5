using System.Globalization;
using System.Net.Http.Headers;

namespace ProgressGrains.Bench.Harness;

/// <summary>
/// One scrape of the engine's Prometheus endpoint (<c>/metrics</c>, operators only), kept as
/// samples: what the engine itself says about its heap and its grain activations.
/// </summary>
public sealed class SiloMetrics
{
    private readonly List<(string Name, string Labels, double Value)> _samples;

    private SiloMetrics(List<(string Name, string Labels, double Value)> samples) => _samples = samples;

    public static async Task<SiloMetrics> ScrapeAsync(Uri httpBase, string operatorToken, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = httpBase, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", operatorToken);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        var samples = new List<(string, string, double)>();
        foreach (var line in (await response.Content.ReadAsStringAsync(cancellationToken)).Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            // name{labels} value [timestamp]; label values never hold '}' in what the engine exports.
            var close = line.IndexOf('}', StringComparison.Ordinal);
            var nameEnd = line.IndexOfAny(['{', ' ']);
            if (nameEnd < 0)
            {
                continue;
            }

            var labels = line[nameEnd] == '{' && close > nameEnd ? line[(nameEnd + 1)..close] : "";
            var rest = line[((close > nameEnd ? close : nameEnd) + 1)..].Trim().Split(' ');
            if (double.TryParse(rest[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                samples.Add((line[..nameEnd], labels, value));
            }
        }

        return new SiloMetrics(samples);
    }

    /// <summary>The sum of the samples of <paramref name="name"/> whose labels contain <paramref name="label"/>; null when there is none.</summary>
    public double? Sum(string name, string? label = null)
    {
        var matching = _samples.Where(s => s.Name == name && (label is null || s.Labels.Contains(label, StringComparison.Ordinal))).ToList();
        return matching.Count == 0 ? null : matching.Sum(s => s.Value);
    }
}
