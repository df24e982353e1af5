using ProgressGrains.Bench;

return await BenchProgram.RunAsync(args);
