-- A silo's heartbeat: its IAmAliveTime only, without bumping the version.
UPDATE OrleansMembershipTable
SET IAmAliveTime = GREATEST(IAmAliveTime, CAST(@IAmAliveTime AS timestamptz))
WHERE DeploymentId = CAST(@DeploymentId AS varchar)
  AND Address = CAST(@Address AS varchar)
  AND Port = CAST(@Port AS integer)
  AND Generation = CAST(@Generation AS integer);
