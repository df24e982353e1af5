using BenchmarkDotNet.Attributes;
using Orleans.Storage;
using ProgressGrains.Grains.Communities;

namespace ProgressGrains.Bench.Micro;

/// <summary>The community's state as its flush timer writes it: roster and every member's contribution.</summary>
public class CommunityStorageBenchmarks
{
    private CommunityState _state = null!;
    private IGrainStorageSerializer _serializer = null!;

    [Params(1_000, 10_000)]
    public int Members { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _serializer = StorageFormat.Serializer;
        _state = CommunityScenario.State(DemoSeason.Resolved, Members);
    }

    [Benchmark]
    public BinaryData SerializeCommunityState() => _serializer.Serialize(_state);

    internal static int StoredBytes(int members) => StorageFormat.Serializer.Serialize(CommunityScenario.State(DemoSeason.Resolved, members)).ToMemory().Length;
}
