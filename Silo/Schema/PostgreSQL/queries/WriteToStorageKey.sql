-- Inserts a grain's first state (@GrainStateVersion NULL) or replaces it when the stored version
-- still equals @GrainStateVersion. Always returns one row: the new version on success, otherwise
-- the version the caller held (NULL for a first write that lost), which Orleans reports as a
-- version conflict. A first write that races another first write meets the primary key and
-- inserts nothing.
WITH updated AS (
    UPDATE OrleansStorage
    SET PayloadBinary = CAST(@PayloadBinary AS bytea),
        Version = Version + 1,
        ModifiedOn = now()
    WHERE ServiceId = CAST(@ServiceId AS varchar)
      AND GrainTypeString = CAST(@GrainTypeString AS varchar)
      AND GrainIdN0 = CAST(@GrainIdN0 AS bigint)
      AND GrainIdN1 = CAST(@GrainIdN1 AS bigint)
      AND GrainIdExtensionString = COALESCE(CAST(@GrainIdExtensionString AS varchar), '')
      AND Version = CAST(@GrainStateVersion AS integer)
    RETURNING Version
), inserted AS (
    INSERT INTO OrleansStorage
        (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString, PayloadBinary, Version, ModifiedOn)
    SELECT CAST(@ServiceId AS varchar), CAST(@GrainTypeString AS varchar), CAST(@GrainIdN0 AS bigint),
           CAST(@GrainIdN1 AS bigint), COALESCE(CAST(@GrainIdExtensionString AS varchar), ''),
           CAST(@PayloadBinary AS bytea), 1, now()
    WHERE CAST(@GrainStateVersion AS integer) IS NULL
    ON CONFLICT ON CONSTRAINT PK_OrleansStorage DO NOTHING
    RETURNING Version
)
SELECT COALESCE((SELECT Version FROM updated), (SELECT Version FROM inserted), CAST(@GrainStateVersion AS integer)) AS NewGrainStateVersion;
