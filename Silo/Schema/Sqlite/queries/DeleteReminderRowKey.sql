-- Deletes a reminder if it is still at @Version; one row: 1 when deleted, 0 when not.
DELETE FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName AND Version = @Version;

SELECT changes() > 0 AS Deleted;
