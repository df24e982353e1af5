-- Deletes a reminder if it is still at @Version; one boolean row.
WITH deleted AS (
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = CAST(@ServiceId AS varchar)
      AND GrainId = CAST(@GrainId AS varchar)
      AND ReminderName = CAST(@ReminderName AS varchar)
      AND Version = CAST(@Version AS integer)
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM deleted) AS Deleted;
