-- Returns the payload and version of one grain's state, or no row.
SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE ServiceId = CAST(@ServiceId AS varchar)
  AND GrainTypeString = CAST(@GrainTypeString AS varchar)
  AND GrainIdN0 = CAST(@GrainIdN0 AS bigint)
  AND GrainIdN1 = CAST(@GrainIdN1 AS bigint)
  AND GrainIdExtensionString = COALESCE(CAST(@GrainIdExtensionString AS varchar), '');
