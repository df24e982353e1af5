-- Adds a joining silo when the table is still at @Version; one boolean row.
SELECT orleans_membership_insert(
    CAST(@DeploymentId AS varchar), CAST(@Address AS varchar), CAST(@Port AS integer), CAST(@Generation AS integer),
    CAST(@SiloName AS varchar), CAST(@HostName AS varchar), CAST(@Status AS integer), CAST(@ProxyPort AS integer),
    CAST(@StartTime AS timestamptz), CAST(@IAmAliveTime AS timestamptz), CAST(@Version AS integer)) AS Inserted;
