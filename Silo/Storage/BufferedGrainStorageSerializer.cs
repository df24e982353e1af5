using System.Buffers;
using Orleans.Serialization;
using Orleans.Storage;

namespace ProgressGrains.Silo.Storage;

/// <summary>
/// Orleans' binary grain-state format (the very bytes <see cref="OrleansGrainStorageSerializer"/>
/// writes and reads), which can also write into a buffer the caller gives, so
/// <see cref="GroupCommitGrainStorage"/> serialises each write into a buffer it reuses instead of
/// one grown afresh.
/// </summary>
public sealed class BufferedGrainStorageSerializer(Serializer serializer) : IGrainStorageSerializer
{
    private readonly OrleansGrainStorageSerializer _orleans = new(serializer);

    public BinaryData Serialize<T>(T? input) => _orleans.Serialize(input);

    public T? Deserialize<T>(BinaryData input) => _orleans.Deserialize<T>(input);

    /// <summary>Appends <paramref name="input"/> to <paramref name="output"/>, as <see cref="Serialize{T}(T)"/> would return it.</summary>
    public void Serialize<T>(T? input, IBufferWriter<byte> output) => serializer.Serialize(input, output);
}
