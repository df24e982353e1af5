using BenchmarkDotNet.Attributes;
using Orleans.Storage;
using ProgressGrains.Grains.Members;

namespace ProgressGrains.Bench.Micro;

/// <summary>
/// What the member writes to storage on every applied event (the whole MemberState), and what an
/// activation reads back. The "Stored bytes" column gives the size of one write.
/// </summary>
public class MemberStorageBenchmarks
{
    private MemberState _state = null!;
    private BinaryData _stored = null!;
    private IGrainStorageSerializer _serializer = null!;

    [Params(10, 50, 200)]
    public int Facts { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _serializer = StorageFormat.Serializer;
        _state = MemberScenario.State(DemoSeason.Resolved, Facts);
        _stored = _serializer.Serialize(_state);

        // A serializer that silently dropped the facts would be fast and wrong.
        var back = _serializer.Deserialize<MemberState>(_stored);
        if (back is null || MemberScenario.Total(back.Seasons[DemoSeason.Resolved.SeasonId]) != Facts)
        {
            throw new InvalidOperationException("MemberState did not survive a round trip through the storage serializer.");
        }
    }

    [Benchmark]
    public BinaryData SerializeMemberState() => _serializer.Serialize(_state);

    [Benchmark]
    public object? DeserializeMemberState() => _serializer.Deserialize<MemberState>(_stored);

    /// <summary>The bytes one write of this member stores.</summary>
    internal static int StoredBytes(int facts) => StorageFormat.Serializer.Serialize(MemberScenario.State(DemoSeason.Resolved, facts)).ToMemory().Length;
}
