-- Empties a grain's state (keeping the row, so versions keep counting) when the stored version
-- still equals @GrainStateVersion. Returns the new version, or the caller's on a conflict.
WITH updated AS (
    UPDATE OrleansStorage
    SET PayloadBinary = NULL,
        Version = Version + 1,
        ModifiedOn = now()
    WHERE ServiceId = CAST(@ServiceId AS varchar)
      AND GrainTypeString = CAST(@GrainTypeString AS varchar)
      AND GrainIdN0 = CAST(@GrainIdN0 AS bigint)
      AND GrainIdN1 = CAST(@GrainIdN1 AS bigint)
      AND GrainIdExtensionString = COALESCE(CAST(@GrainIdExtensionString AS varchar), '')
      AND Version = CAST(@GrainStateVersion AS integer)
    RETURNING Version
)
SELECT COALESCE((SELECT Version FROM updated), CAST(@GrainStateVersion AS integer)) AS NewGrainStateVersion;
