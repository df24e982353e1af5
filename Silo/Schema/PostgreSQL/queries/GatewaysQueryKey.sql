-- The gateways clients may connect to: silos with @Status (Active) that accept clients.
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = CAST(@DeploymentId AS varchar)
  AND Status = CAST(@Status AS integer)
  AND ProxyPort > 0;
