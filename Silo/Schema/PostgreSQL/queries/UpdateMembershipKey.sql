-- Changes a silo's status and suspicions when the table is still at @Version; one boolean row.
SELECT orleans_membership_update(
    CAST(@DeploymentId AS varchar), CAST(@Address AS varchar), CAST(@Port AS integer), CAST(@Generation AS integer),
    CAST(@IAmAliveTime AS timestamptz), CAST(@Status AS integer), CAST(@SuspectTimes AS varchar), CAST(@Version AS integer)) AS Updated;
