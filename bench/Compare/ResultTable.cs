using System.Globalization;
using System.Text;
using ProgressGrains.Bench.Load;

namespace ProgressGrains.Bench.Compare;

/// <summary>The results as a fixed-width table: one row per system, protocol and phase.</summary>
public static class ResultTable
{
    public static string Render(IEnumerable<PhaseResult> results)
    {
        string[] header = ["system", "protocol", "phase", "ops/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "server CPU ms/op", "PG CPU ms/op", "errors"];
        var rows = results.Select(r => new[]
        {
            r.System,
            r.Protocol,
            r.Phase,
            r.PerSecond.ToString("F0", CultureInfo.InvariantCulture),
            Ms(r.Latency.P50),
            Ms(r.Latency.P95),
            Ms(r.Latency.P99),
            Ms(r.Latency.Max),
            Cpu(r, CompareCommand.ServerCpu),
            Cpu(r, CompareCommand.PostgresCpu),
            r.ErrorCount == 0 && r.GivenUp == 0
                ? "0"
                : string.Join(", ", r.Errors.OrderByDescending(e => e.Value).Select(e => $"{e.Key} {e.Value}")) + (r.GivenUp > 0 ? $" ({r.GivenUp} events given up)" : ""),
        }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        void Line(string[] cells) =>
            text.AppendLine(string.Join("  ", cells.Select((c, i) => i is >= 3 and <= 9 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd());
        Line(header);
        Line([.. widths.Select(w => new string('-', w))]);
        rows.ForEach(Line);
        return text.ToString();
    }

    private static string Cpu(PhaseResult result, string meter) =>
        result.CpuMsPerOperation.TryGetValue(meter, out var ms) ? ms.ToString("F3", CultureInfo.InvariantCulture) : "-";

    private static string Ms(double value) => value.ToString(value < 10 ? "F2" : "F1", CultureInfo.InvariantCulture);
}
