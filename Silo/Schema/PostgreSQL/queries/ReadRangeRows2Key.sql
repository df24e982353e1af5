-- Reminders whose grain hash lies in a range that wraps around (or is the whole ring).
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = CAST(@ServiceId AS varchar)
  AND (GrainHash > CAST(@BeginHash AS integer) OR GrainHash <= CAST(@EndHash AS integer));
