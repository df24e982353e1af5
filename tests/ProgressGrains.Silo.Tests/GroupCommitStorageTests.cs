using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using ProgressGrains.Contracts;
using ProgressGrains.Contracts.Members;
using ProgressGrains.Silo.Storage;
using ProgressGrains.Tests.Shared;

namespace ProgressGrains.Silo.Tests;

/// <summary>
/// The group-commit grain storage against a real PostgreSQL: the same optimistic versions as
/// one-write-per-transaction, each write answered only after its commit, conflicts failing only
/// their own caller, and concurrent writes really sharing commits.
/// </summary>
public sealed class GroupCommitStorageTests(TestPostgres postgres) : IClassFixture<TestPostgres>
{
    private const string ServiceId = "group-commit-test";

    [Fact]
    public async Task WritesThenReads_FollowVersions_AndAStaleVersionFailsWithNothingChanged()
    {
        await using var store = await NewStorageAsync();
        var grain = GrainId.Create("member", "m-1");
        var state = new GrainState<Counter>(new Counter());

        await store.ReadStateAsync("member", grain, state);
        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);

        state.State!.Value = 1;
        await store.WriteStateAsync("member", grain, state);
        Assert.Equal("1", state.ETag);
        state.State!.Value = 2;
        await store.WriteStateAsync("member", grain, state);
        Assert.Equal("2", state.ETag);

        var stale = new GrainState<Counter>(new Counter { Value = 99 }) { ETag = "1", RecordExists = true };
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.WriteStateAsync("member", grain, stale));
        var firstWriteOfAnExistingRow = new GrainState<Counter>(new Counter { Value = 98 });
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.WriteStateAsync("member", grain, firstWriteOfAnExistingRow));

        var read = new GrainState<Counter>(new Counter());
        await store.ReadStateAsync("member", grain, read);
        Assert.True(read.RecordExists);
        Assert.Equal("2", read.ETag);
        Assert.Equal(2, read.State!.Value);
    }

    [Fact]
    public async Task ConcurrentWritesOfManyGrains_ShareCommits_AndEveryOneIsStored()
    {
        var batches = new List<int>();
        using var listener = ListenToBatchSizes(batches);
        await using var store = await NewStorageAsync();
        const int Grains = 400;
        const int WritesPerGrain = 3;

        // Each grain writes in sequence, as an activation does; the grains write at once.
        await Parallel.ForEachAsync(Enumerable.Range(0, Grains), new ParallelOptions { MaxDegreeOfParallelism = 200 }, async (i, _) =>
        {
            var state = new GrainState<Counter>(new Counter());
            for (var n = 1; n <= WritesPerGrain; n++)
            {
                state.State!.Value = n * 1000 + i;
                await store.WriteStateAsync("member", GrainId.Create("member", $"m-{i}"), state);
                Assert.Equal(n.ToString(System.Globalization.CultureInfo.InvariantCulture), state.ETag);
            }
        });

        for (var i = 0; i < Grains; i++)
        {
            var read = new GrainState<Counter>(new Counter());
            await store.ReadStateAsync("member", GrainId.Create("member", $"m-{i}"), read);
            Assert.Equal((WritesPerGrain * 1000) + i, read.State!.Value);
            Assert.Equal(WritesPerGrain.ToString(System.Globalization.CultureInfo.InvariantCulture), read.ETag);
        }

        lock (batches)
        {
            Assert.Equal(Grains * WritesPerGrain, batches.Sum());
            // Shared commits: far fewer transactions than writes.
            Assert.True(batches.Count < Grains * WritesPerGrain / 4, $"{batches.Count} commits for {Grains * WritesPerGrain} writes (largest {batches.Max()}).");
            TestContext.Current.TestOutputHelper?.WriteLine($"STORAGE: {Grains * WritesPerGrain} writes in {batches.Count} commits, largest {batches.Max()}");
        }
    }

    [Fact]
    public async Task ABatchHoldsAtMostMaxBatchBytes_SoABigStateCommitsAlone()
    {
        var batches = new List<int>();
        using var listener = ListenToBatchSizes(batches);
        await using var store = await NewStorageAsync(options: new GroupCommitOptions { MaxBatchBytes = 1000, Writers = 1 });
        var big = new string('x', 600);

        // 60 writes that each fill more than half a batch, and 60 small ones, all at once.
        var writes = Enumerable.Range(0, 60)
            .Select(i => store.WriteStateAsync("community", GrainId.Create("community", $"big-{i}"), new GrainState<Counter>(new Counter { Value = i, Padding = big })))
            .Concat(Enumerable.Range(0, 60)
                .Select(i => store.WriteStateAsync("member", GrainId.Create("member", $"small-{i}"), new GrainState<Counter>(new Counter { Value = i }))))
            .ToArray();
        await Task.WhenAll(writes);

        lock (batches)
        {
            Assert.Equal(120, batches.Sum());
            // No batch holds two big payloads, so there are at least 60 commits.
            Assert.True(batches.Count >= 60, $"{batches.Count} commits for 60 writes of 600+ bytes with a 1000-byte cap");
        }

        var read = new GrainState<Counter>(new Counter());
        await store.ReadStateAsync("community", GrainId.Create("community", "big-59"), read);
        Assert.Equal(big, read.State!.Padding);
    }

    [Fact]
    public async Task AConflictInABatch_FailsOnlyItsOwnCaller()
    {
        await using var store = await NewStorageAsync();
        var contested = GrainId.Create("member", "contested");
        var owner = new GrainState<Counter>(new Counter { Value = 1 });
        await store.WriteStateAsync("member", contested, owner);

        // Many writes at once, one of them from a stale activation of the contested grain.
        var stale = new GrainState<Counter>(new Counter { Value = -1 });
        var others = Enumerable.Range(0, 100)
            .Select(i => store.WriteStateAsync("member", GrainId.Create("member", $"other-{i}"), new GrainState<Counter>(new Counter { Value = i })))
            .ToArray();
        var conflicting = store.WriteStateAsync("member", contested, stale);

        await Task.WhenAll(others);
        await Assert.ThrowsAsync<InconsistentStateException>(() => conflicting);
        var read = new GrainState<Counter>(new Counter());
        await store.ReadStateAsync("member", contested, read);
        Assert.Equal(1, read.State!.Value);
        await store.ReadStateAsync("member", GrainId.Create("member", "other-42"), read);
        Assert.Equal(42, read.State!.Value);
    }

    [Fact]
    public async Task AStaleVersionAmongUpdates_FailsOnlyItsOwnCaller()
    {
        // Every write below holds a version, so the batches take the update-only statement.
        await using var store = await NewStorageAsync();
        var states = new List<(GrainId Id, GrainState<Counter> State)>();
        for (var i = 0; i < 50; i++)
        {
            var id = GrainId.Create("member", $"updated-{i}");
            var state = new GrainState<Counter>(new Counter { Value = i });
            await store.WriteStateAsync("member", id, state);
            states.Add((id, state));
        }

        var contested = states[0];
        var stale = new GrainState<Counter>(new Counter { Value = -1 }) { ETag = contested.State.ETag, RecordExists = true };
        contested.State.State!.Value = 1000;
        await store.WriteStateAsync("member", contested.Id, contested.State); // moves on; "stale" still holds the old version

        var updates = states.Skip(1).Select(s =>
        {
            s.State.State!.Value += 100;
            return store.WriteStateAsync("member", s.Id, s.State);
        }).ToArray();
        var conflicting = store.WriteStateAsync("member", contested.Id, stale);

        await Task.WhenAll(updates);
        await Assert.ThrowsAsync<InconsistentStateException>(() => conflicting);
        var read = new GrainState<Counter>(new Counter());
        await store.ReadStateAsync("member", contested.Id, read);
        Assert.Equal(1000, read.State!.Value);
        Assert.Equal(contested.State.ETag, read.ETag);
        await store.ReadStateAsync("member", states[7].Id, read);
        Assert.Equal(107, read.State!.Value);
        Assert.Equal("2", read.ETag);
    }

    [Fact]
    public async Task RowsAreWhereOrleansAdoNetProviderLooks_SoEitherProviderReadsTheOther()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var store = await NewStorageAsync(database);
        var state = new GrainState<Counter>(new Counter { Value = 7 });
        await store.WriteStateAsync("community", GrainId.Create("community", "xietang/c-1"), state);

        // The ADO.NET provider's own read statement (from OrleansQuery) with the parameters it passes for a string key.
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var query = (string)(await new NpgsqlCommand("SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'ReadFromStorageKey'", connection)
            .ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
        await using var read = new NpgsqlCommand(query, connection);
        read.Parameters.AddWithValue("ServiceId", ServiceId);
        read.Parameters.AddWithValue("GrainTypeString", "community");
        read.Parameters.AddWithValue("GrainIdN0", 0L);
        read.Parameters.AddWithValue("GrainIdN1", 0L);
        read.Parameters.AddWithValue("GrainIdExtensionString", "xietang/c-1");
        read.Parameters.AddWithValue("GrainIdHash", 0);
        read.Parameters.AddWithValue("GrainTypeHash", 0);
        await using var reader = await read.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal(7, JsonSerializer.Deserialize<Counter>(reader.GetFieldValue<byte[]>(0))!.Value);
        Assert.Equal(1, reader.GetInt32(1));
    }

    [Fact]
    public async Task TheBufferedOrleansFormat_StoresExactlyTheBytesOfOrleansStorageSerializer()
    {
        // The silo's serializer writes into a reused buffer; what it stores must be what Orleans'
        // ADO.NET provider would store and read, for a small state and one that outgrows the
        // first buffer (8 KB).
        var database = await postgres.CreateDatabaseAsync();
        await SchemaMigrator.MigrateAsync(new StorageSettings(StorageSettings.PostgreSql, database, null), CancellationToken.None);
        var services = new ServiceCollection().AddSerializer(s => s.AddAssembly(typeof(ReflectionSummary).Assembly)).BuildServiceProvider();
        var orleans = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
        await using var store = new GroupCommitGrainStorage("test", database, new GroupCommitOptions(),
            new BufferedGrainStorageSerializer(services.GetRequiredService<Serializer>()),
            Options.Create(new ClusterOptions { ServiceId = ServiceId }), services.GetRequiredService<IActivatorProvider>(),
            NullLogger<GroupCommitGrainStorage>.Instance);
        await store.StartAsync(CancellationToken.None);
        var states = new[] { "short", new string('x', 100_000) }
            .Select((text, i) => (Id: GrainId.Create("member", $"m{i}"), State: new ReflectionSummary(Guid.NewGuid(), ReflectionStatus.Approved, DateTimeOffset.UnixEpoch, text)))
            .ToArray();

        await Task.WhenAll(states.Select(s => store.WriteStateAsync("member", s.Id, new GrainState<ReflectionSummary>(s.State))));

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        foreach (var (id, state) in states)
        {
            await using var read = new NpgsqlCommand("SELECT PayloadBinary FROM OrleansStorage WHERE GrainIdExtensionString = $1", connection);
            read.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id.Key.ToString() });
            var stored = (byte[])(await read.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
            Assert.Equal(orleans.Serialize(state).ToArray(), stored);

            var back = new GrainState<ReflectionSummary>();
            await store.ReadStateAsync("member", id, back);
            Assert.Equal(state, back.State);
        }
    }

    [Fact]
    public async Task WhenPostgresIsUnreachable_EveryWriteFails_AndNoneHangs()
    {
        postgres.RequireServer();
        var nowhere = $"Host=127.0.0.1;Port={SiloProcess.FreePort()};Username=postgres;Database=postgres;Timeout=2";
        await using var store = NewStorage(nowhere);
        await store.StartAsync(CancellationToken.None);

        var writes = Enumerable.Range(0, 20)
            .Select(i => store.WriteStateAsync("member", GrainId.Create("member", $"m-{i}"), new GrainState<Counter>(new Counter())))
            .ToArray();

        foreach (var write in writes)
        {
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => write.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
            Assert.IsType<NpgsqlException>(failure, exactMatch: false);
        }
    }

    [Fact]
    public async Task Stopping_CommitsWhatIsQueued_ThenRefusesNewWrites()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var store = await NewStorageAsync(database);
        var queued = Enumerable.Range(0, 200)
            .Select(i => store.WriteStateAsync("member", GrainId.Create("member", $"m-{i}"), new GrainState<Counter>(new Counter { Value = i })))
            .ToArray();

        await store.StopAsync(CancellationToken.None);

        await Task.WhenAll(queued);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            store.WriteStateAsync("member", GrainId.Create("member", "late"), new GrainState<Counter>(new Counter())));
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal(200L, await new NpgsqlCommand("SELECT count(*) FROM OrleansStorage", connection).ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    public sealed class Counter
    {
        public int Value { get; set; }

        public string? Padding { get; set; }
    }

    private async Task<GroupCommitGrainStorage> NewStorageAsync(string? database = null, GroupCommitOptions? options = null)
    {
        database ??= await postgres.CreateDatabaseAsync();
        await SchemaMigrator.MigrateAsync(new StorageSettings(StorageSettings.PostgreSql, database, null), CancellationToken.None);
        var store = NewStorage(database, options);
        await store.StartAsync(CancellationToken.None);
        return store;
    }

    private static GroupCommitGrainStorage NewStorage(string connectionString, GroupCommitOptions? options = null)
    {
        var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        return new GroupCommitGrainStorage("test", connectionString, options ?? new GroupCommitOptions(), new JsonStorageSerializer(),
            Options.Create(new ClusterOptions { ServiceId = ServiceId }), services.GetRequiredService<IActivatorProvider>(),
            NullLogger<GroupCommitGrainStorage>.Instance);
    }

    private static MeterListener ListenToBatchSizes(List<int> batches)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "progress.storage.batch.size")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) =>
        {
            lock (batches)
            {
                batches.Add(value);
            }
        });
        listener.Start();
        return listener;
    }

    /// <summary>JSON, so the test reads the stored payload without Orleans' serializer.</summary>
    private sealed class JsonStorageSerializer : IGrainStorageSerializer
    {
        public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input));

        public T Deserialize<T>(BinaryData input) => JsonSerializer.Deserialize<T>(input.ToMemory().Span)!;
    }
}
