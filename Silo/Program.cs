using ProgressGrains.Silo;

return await SiloProgram.RunAsync(args);
