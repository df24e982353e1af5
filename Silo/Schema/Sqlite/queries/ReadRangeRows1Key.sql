-- Reminders whose grain hash lies in (@BeginHash, @EndHash] when the range does not wrap.
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash;
