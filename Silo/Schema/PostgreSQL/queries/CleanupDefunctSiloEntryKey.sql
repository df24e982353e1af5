-- Removes one dead silo that Orleans found defunct, only if its row is still as Orleans read it.
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = CAST(@DeploymentId AS varchar)
  AND Address = CAST(@Address AS varchar)
  AND Port = CAST(@Port AS integer)
  AND Generation = CAST(@Generation AS integer)
  AND Status = 6
  AND StartTime = CAST(@StartTime AS timestamptz)
  AND IAmAliveTime = CAST(@IAmAliveTime AS timestamptz)
  AND SuspectTimes IS NOT DISTINCT FROM CAST(@SuspectTimes AS varchar);
