-- Reminders whose grain hash lies in (@BeginHash, @EndHash] when the range does not wrap.
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = CAST(@ServiceId AS varchar)
  AND GrainHash > CAST(@BeginHash AS integer)
  AND GrainHash <= CAST(@EndHash AS integer);
