using System.Collections.Concurrent;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ProgressGrains.Bench.Micro;

/// <summary>
/// "Stored bytes": the size of the state a storage benchmark serialises, worked out again here
/// from the case's parameter (the scenarios are seeded), so it appears in the results table
/// whatever toolchain ran the benchmark.
/// </summary>
internal sealed class StoredBytesColumn : IColumn
{
    private readonly ConcurrentDictionary<(Type, int), int> _sizes = new();

    public string Id => nameof(StoredBytesColumn);

    public string ColumnName => "Stored bytes";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Bytes one write of this state stores (Orleans binary format, as the silo's grain storage writes it)";

    public bool IsAvailable(Summary summary) =>
        summary.BenchmarksCases.Any(c => Size(c) is not null);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        Size(benchmarkCase)?.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) ?? "-";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    private int? Size(BenchmarkCase benchmarkCase)
    {
        var type = benchmarkCase.Descriptor.Type;
        if (type == typeof(MemberStorageBenchmarks) && benchmarkCase.Parameters["Facts"] is int facts)
        {
            return _sizes.GetOrAdd((type, facts), static k => MemberStorageBenchmarks.StoredBytes(k.Item2));
        }

        if (type == typeof(CommunityStorageBenchmarks) && benchmarkCase.Parameters["Members"] is int members)
        {
            return _sizes.GetOrAdd((type, members), static k => CommunityStorageBenchmarks.StoredBytes(k.Item2));
        }

        return null;
    }
}
