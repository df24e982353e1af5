-- Deletes every reminder of a service (tests and tools).
DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId;
