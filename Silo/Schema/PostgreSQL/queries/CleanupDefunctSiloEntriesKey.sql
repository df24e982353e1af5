-- Removes dead silos (status 6) with no activity since the cut-off in @IAmAliveTime. Rows with
-- suspicion votes are left to CleanupDefunctSiloEntryKey, which Orleans prefers when present.
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = CAST(@DeploymentId AS varchar)
  AND Status = 6
  AND IAmAliveTime < CAST(@IAmAliveTime AS timestamptz)
  AND StartTime < CAST(@IAmAliveTime AS timestamptz)
  AND COALESCE(SuspectTimes, '') = '';
