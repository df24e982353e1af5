using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using ProgressGrains.Grains.Telemetry;

namespace ProgressGrains.Silo.Storage;

/// <summary>
/// Grain state on PostgreSQL with group commit: writes that arrive while a commit is in flight
/// wait in a queue, and the next commit takes all of them in one transaction (one statement, one
/// WAL flush). Each caller is answered only after that commit, so an acknowledged write survives
/// kill -9 exactly as with one transaction per write; under load many writes share each flush
/// instead of queueing for their own. No timer delays a write: with no load a batch is one write.
/// </summary>
/// <remarks>
/// Same table, keys, versions and payload format as Orleans' ADO.NET provider with this project's
/// statements (Schema/PostgreSQL), so either provider reads what the other wrote. Each write keeps
/// its own optimistic-concurrency check: a stale version fails that caller alone with
/// <see cref="InconsistentStateException"/>, the rest of the batch commits.
/// </remarks>
public sealed partial class GroupCommitGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private readonly string _name;
    private readonly string _serviceId;
    private readonly GroupCommitOptions _options;
    private readonly IGrainStorageSerializer _serializer;
    private readonly IActivatorProvider _activators;
    private readonly ILogger _logger;
    private readonly NpgsqlDataSource _dataSource;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Meter _meter = new(ProgressMetrics.MeterName);
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _commitDuration;
    private Task[] _writers = [];

    public GroupCommitGrainStorage(
        string name,
        string connectionString,
        GroupCommitOptions options,
        IGrainStorageSerializer serializer,
        IOptions<ClusterOptions> cluster,
        IActivatorProvider activators,
        ILogger<GroupCommitGrainStorage> logger)
    {
        _name = name;
        _serviceId = cluster.Value.ServiceId;
        _options = options;
        _serializer = serializer;
        _activators = activators;
        _logger = logger;
        _dataSource = NpgsqlDataSource.Create(Prepared(connectionString));
        _batchSize = _meter.CreateHistogram("progress.storage.batch.size", "{write}",
            "Grain state writes committed together in one transaction.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] });
        _commitDuration = _meter.CreateHistogram("progress.storage.commit.duration", "s",
            "Time one group commit took in PostgreSQL (statement and flush).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] });
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(GroupCommitGrainStorage)}-{_name}", ServiceLifecycleStage.ApplicationServices, StartAsync, StopAsync);

    /// <summary>Starts the writers (the silo lifecycle calls this; so may a test).</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _writers = [.. Enumerable.Range(0, Math.Max(1, _options.Writers)).Select(_ => Task.Run(WriteLoop, CancellationToken.None))];
        return Task.CompletedTask;
    }

    /// <summary>Takes no more writes, and returns when every queued write is committed or failed.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Grains have deactivated (and written) by now; what is queued is still committed.
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers).ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _meter.Dispose();
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = StorageKey.From(stateName, grainId);
        await using var command = _dataSource.CreateCommand(ReadSql);
        key.AddParameters(command, _serviceId);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        if (await reader.ReadAsync().ConfigureAwait(false))
        {
            var payload = reader.IsDBNull(0) ? null : reader.GetFieldValue<byte[]>(0);
            grainState.State = payload is null ? Create<T>() : _serializer.Deserialize<T>(new BinaryData(payload));
            grainState.ETag = reader.GetInt32(1).ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Create<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // Serialised on the caller's thread: the writers only batch and commit.
        var write = new PendingWrite(StorageKey.From(stateName, grainId), ParseVersion(grainState.ETag), Serialize(grainState.State));
        if (!_queue.Writer.TryWrite(write))
        {
            throw new InvalidOperationException($"Grain storage '{_name}' is stopping; the state of {grainId} was not written.");
        }

        var version = await write.Completion.Task.ConfigureAwait(false);
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = StorageKey.From(stateName, grainId);
        if (ParseVersion(grainState.ETag) is { } expected)
        {
            await using var command = _dataSource.CreateCommand(ClearSql);
            key.AddParameters(command, _serviceId);
            command.Parameters.Add(new NpgsqlParameter<int>("version", expected));
            if (await command.ExecuteScalarAsync().ConfigureAwait(false) is not int version)
            {
                throw Conflict("ClearState", key, grainState.ETag);
            }

            grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        }

        grainState.State = Create<T>();
        grainState.RecordExists = false;
    }

    private async Task WriteLoop()
    {
        var batch = new List<PendingWrite>(_options.MaxBatchSize);
        var keys = new HashSet<StorageKey>();
        var bytes = 0L;
        // Taken from the queue but left for the next batch: a second write of one grain (each
        // version check must see the version the previous write left), or a write that would
        // make the batch too large (a big state commits alone, not holding up small ones).
        var held = new List<PendingWrite>();
        var reader = _queue.Reader;
        while (held.Count > 0 || await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var carried = held.ToArray();
            held.Clear();
            foreach (var write in carried)
            {
                Offer(write);
            }

            while (held.Count == 0 && batch.Count < _options.MaxBatchSize && reader.TryRead(out var write))
            {
                Offer(write);
            }

            if (batch.Count > 0)
            {
                await Commit(batch).ConfigureAwait(false);
            }

            batch.Clear();
            keys.Clear();
            bytes = 0;
        }

        void Offer(PendingWrite write)
        {
            if (batch.Count < _options.MaxBatchSize && !keys.Contains(write.Key)
                && (batch.Count == 0 || bytes + write.Payload.Length <= _options.MaxBatchBytes))
            {
                keys.Add(write.Key);
                batch.Add(write);
                bytes += write.Payload.Length;
            }
            else
            {
                held.Add(write);
            }
        }
    }

    private async Task Commit(List<PendingWrite> batch)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var versions = await CommitBatch(batch).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                if (versions[i] is { } version)
                {
                    batch[i].Completion.TrySetResult(version);
                }
                else
                {
                    batch[i].Completion.TrySetException(Conflict("WriteState", batch[i].Key, batch[i].ExpectedVersion?.ToString(CultureInfo.InvariantCulture)));
                }
            }
        }
        catch (Exception ex)
        {
            // Nothing of the batch is known to be committed (a commit whose answer was lost may
            // have been): every caller fails, and its grain reads the truth on its next activation.
            LogBatchFailed(_logger, ex, _name, batch.Count);
            foreach (var write in batch)
            {
                write.Completion.TrySetException(ex);
            }
        }
        finally
        {
            _batchSize.Record(batch.Count);
            _commitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>
    /// One round trip and one implicit transaction (so one WAL flush) for the whole batch: a
    /// statement per write, each finding its row by primary key. The new version per write, or
    /// null on a version conflict.
    /// </summary>
    /// <remarks>
    /// One statement joining the batch (unnest) against the table was tried first: PostgreSQL spent
    /// more time planning it than running it, and before autovacuum had analysed the table (a fresh
    /// database, a roster just imported) it joined by scanning the whole table, at 4 times the CPU
    /// per event. These statements are prepared once per connection (Max Auto Prepare) and their
    /// plan, an index lookup by key, does not depend on statistics.
    /// </remarks>
    private async Task<int?[]> CommitBatch(List<PendingWrite> batch)
    {
        await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var statements = new NpgsqlBatch(connection);
        foreach (var write in batch)
        {
            var statement = new NpgsqlBatchCommand(write.ExpectedVersion is null ? InsertSql : UpdateSql);
            statement.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
            statement.Parameters.Add(new NpgsqlParameter<string> { TypedValue = write.Key.StateName });
            statement.Parameters.Add(new NpgsqlParameter<long> { TypedValue = write.Key.N0 });
            statement.Parameters.Add(new NpgsqlParameter<long> { TypedValue = write.Key.N1 });
            statement.Parameters.Add(new NpgsqlParameter<string> { TypedValue = write.Key.Extension });
            statement.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = write.Payload });
            if (write.ExpectedVersion is { } expected)
            {
                statement.Parameters.Add(new NpgsqlParameter<int> { TypedValue = expected });
            }

            statements.BatchCommands.Add(statement);
        }

        var versions = new int?[batch.Count];
        await using var reader = await statements.ExecuteReaderAsync().ConfigureAwait(false);
        for (var i = 0; i < batch.Count; i++)
        {
            if (await reader.ReadAsync().ConfigureAwait(false))
            {
                versions[i] = reader.GetInt32(0);
            }

            await reader.NextResultAsync().ConfigureAwait(false);
        }

        return versions;
    }

    /// <summary>
    /// The state's bytes in an array of their exact size. The serializer writes into a buffer
    /// kept per thread (<see cref="BufferedGrainStorageSerializer"/>), grown once to the largest
    /// state it saw, and the bytes are copied out.
    /// </summary>
    /// <remarks>
    /// Orleans' <see cref="OrleansGrainStorageSerializer"/> grows a fresh buffer from 256 bytes by
    /// doubling, and the bytes were then copied out again: about 3 times the state's size allocated
    /// per write, an eighth of what the silo allocated per member event under load. Passing
    /// buffers rented from the shared array pool to PostgreSQL, returned after the commit, saved
    /// the copy too but measured no better in paired runs, so the simpler copy stayed.
    /// </remarks>
    private byte[] Serialize<T>(T state)
    {
        if (_serializer is not BufferedGrainStorageSerializer buffered)
        {
            return _serializer.Serialize(state).ToArray();
        }

        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(InitialBufferBytes);
        try
        {
            buffered.Serialize(state, buffer);
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            if (buffer.Capacity > MaxKeptBufferBytes)
            {
                t_buffer = null; // a community's big state: not kept for every thread
            }
            else
            {
                buffer.ResetWrittenCount();
            }
        }
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>A member's state fits (a few kilobytes); a bigger one grows the buffer.</summary>
    private const int InitialBufferBytes = 16 * 1024;

    /// <summary>Larger buffers (a community of thousands) are dropped after use.</summary>
    private const int MaxKeptBufferBytes = 256 * 1024;

    /// <summary>The connection string with automatic preparation on (unless it sets its own): this provider runs four statements, each worth preparing.</summary>
    private static string Prepared(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 8;
        }

        return builder.ConnectionString;
    }

    private static int? ParseVersion(string? etag) =>
        string.IsNullOrEmpty(etag) ? null : int.Parse(etag, CultureInfo.InvariantCulture);

    private InconsistentStateException Conflict(string operation, StorageKey key, string? etag) =>
        new($"Version conflict ({operation}): ServiceId={_serviceId} ProviderName={_name} GrainType={key.StateName} GrainId={key.Extension} ETag={etag}.");

    private T Create<T>() => _activators.GetActivator<T>().Create();

    // The key columns as Orleans' ADO.NET provider fills them, so both providers address the same
    // row: the state name as the type; a Guid key in N0/N1, an integer key in N1, and the string
    // key (or the key extension) in the extension column ('' when there is none).
    private readonly record struct StorageKey(string StateName, long N0, long N1, string Extension)
    {
        public static StorageKey From(string stateName, GrainId grainId)
        {
            if (grainId.TryGetGuidKey(out var guid, out var extension))
            {
                Span<byte> bytes = stackalloc byte[16];
                guid.TryWriteBytes(bytes);
                return new(stateName, BitConverter.ToInt64(bytes[..8]), BitConverter.ToInt64(bytes[8..]), extension ?? "");
            }

            if (grainId.TryGetIntegerKey(out var integer, out extension))
            {
                return new(stateName, 0, integer, extension ?? "");
            }

            return new(stateName, 0, 0, grainId.Key.ToString()!);
        }

        public void AddParameters(NpgsqlCommand command, string serviceId)
        {
            command.Parameters.Add(new NpgsqlParameter<string>("service", serviceId));
            command.Parameters.Add(new NpgsqlParameter<string>("type", StateName));
            command.Parameters.Add(new NpgsqlParameter<long>("n0", N0));
            command.Parameters.Add(new NpgsqlParameter<long>("n1", N1));
            command.Parameters.Add(new NpgsqlParameter<string>("extension", Extension));
        }
    }

    private sealed class PendingWrite(StorageKey key, int? expectedVersion, byte[] payload)
    {
        public StorageKey Key { get; } = key;

        public int? ExpectedVersion { get; } = expectedVersion;

        public byte[] Payload { get; } = payload;

        // Continuations run off the writer's thread, so one slow grain does not hold up the next commit.
        public TaskCompletionSource<int> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private const string ReadSql = """
        SELECT PayloadBinary, Version FROM OrleansStorage
        WHERE ServiceId = @service AND GrainTypeString = @type AND GrainIdN0 = @n0 AND GrainIdN1 = @n1
          AND GrainIdExtensionString = @extension
        """;

    private const string ClearSql = """
        UPDATE OrleansStorage SET PayloadBinary = NULL, Version = Version + 1, ModifiedOn = now()
        WHERE ServiceId = @service AND GrainTypeString = @type AND GrainIdN0 = @n0 AND GrainIdN1 = @n1
          AND GrainIdExtensionString = @extension AND Version = @version
        RETURNING Version
        """;

    // A write of a grain that has a row: where the stored version is the one the grain holds.
    // No row back is a version conflict.
    private const string UpdateSql = """
        UPDATE OrleansStorage SET PayloadBinary = $6, Version = Version + 1, ModifiedOn = now()
        WHERE ServiceId = $1 AND GrainTypeString = $2 AND GrainIdN0 = $3 AND GrainIdN1 = $4
          AND GrainIdExtensionString = $5 AND Version = $7
        RETURNING Version
        """;

    // A grain's first write: a row that exists already (another activation wrote first) is a
    // version conflict, and nothing is inserted.
    private const string InsertSql = """
        INSERT INTO OrleansStorage (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString, PayloadBinary, Version, ModifiedOn)
        VALUES ($1, $2, $3, $4, $5, $6, 1, now())
        ON CONFLICT ON CONSTRAINT PK_OrleansStorage DO NOTHING
        RETURNING Version
        """;

    [LoggerMessage(Level = LogLevel.Error, Message = "Grain storage {Name}: a group commit of {Count} write(s) failed; each caller was told")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, string name, int count);
}

/// <summary>Group commit settings (configuration section <c>Storage:GroupCommit</c>).</summary>
public sealed class GroupCommitOptions
{
    public const string Section = "Storage:GroupCommit";

    /// <summary>On PostgreSQL, whether grain state is written by group commit (the default) or by Orleans' ADO.NET provider, one transaction per write.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The most writes one commit takes; more wait for the next.</summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>The most payload bytes one commit takes (a larger state commits alone), so a community's big flush does not delay members' small writes.</summary>
    public int MaxBatchBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Commits in flight at once (each on its own connection), so one batch is built while another flushes.</summary>
    public int Writers { get; set; } = 2;
}
