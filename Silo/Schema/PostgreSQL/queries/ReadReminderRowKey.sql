-- One reminder of one grain, or no row.
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = CAST(@ServiceId AS varchar)
  AND GrainId = CAST(@GrainId AS varchar)
  AND ReminderName = CAST(@ReminderName AS varchar);
