-- Cluster membership for Orleans' ADO.NET clustering provider (Orleans 10.4.2's query contract).
-- One version row per deployment (cluster id) counts every change to its members; a change that
-- expects another version changes nothing. Times are timestamptz: Orleans binds UTC DateTimes and
-- reads them back as UTC, whatever the session's time zone.

CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150) NOT NULL PRIMARY KEY,
    Timestamp    timestamptz  NOT NULL DEFAULT now(),
    Version      integer      NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150)  NOT NULL REFERENCES OrleansMembershipVersionTable (DeploymentId),
    Address      varchar(45)   NOT NULL,
    Port         integer       NOT NULL,
    Generation   integer       NOT NULL,
    SiloName     varchar(150)  NOT NULL,
    HostName     varchar(150)  NOT NULL,
    Status       integer       NOT NULL,
    ProxyPort    integer       NOT NULL,
    SuspectTimes varchar(8000) NULL,
    StartTime    timestamptz   NOT NULL,
    IAmAliveTime timestamptz   NOT NULL,
    CONSTRAINT PK_OrleansMembershipTable PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

-- Adds a silo's row and bumps the version, both or neither: false when the version moved on or
-- the silo is already there.
CREATE OR REPLACE FUNCTION orleans_membership_insert(
    _deployment_id varchar, _address varchar, _port integer, _generation integer, _silo_name varchar,
    _host_name varchar, _status integer, _proxy_port integer, _start_time timestamptz,
    _i_am_alive_time timestamptz, _version integer)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, SuspectTimes, StartTime, IAmAliveTime)
    VALUES
        (_deployment_id, _address, _port, _generation, _silo_name, _host_name, _status, _proxy_port, NULL, _start_time, _i_am_alive_time);

    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId = _deployment_id AND Version = _version;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'membership version moved on' USING ERRCODE = 'P0001';
    END IF;
    RETURN true;
EXCEPTION
    WHEN unique_violation OR raise_exception THEN
        -- The block's changes are rolled back: nothing was inserted or bumped.
        RETURN false;
END;
$$;

-- Changes a silo's status, suspicions and heartbeat and bumps the version, both or neither.
CREATE OR REPLACE FUNCTION orleans_membership_update(
    _deployment_id varchar, _address varchar, _port integer, _generation integer,
    _i_am_alive_time timestamptz, _status integer, _suspect_times varchar, _version integer)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId = _deployment_id AND Version = _version;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE OrleansMembershipTable
    SET Status = _status,
        SuspectTimes = _suspect_times,
        IAmAliveTime = GREATEST(IAmAliveTime, _i_am_alive_time)
    WHERE DeploymentId = _deployment_id AND Address = _address AND Port = _port AND Generation = _generation;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such silo' USING ERRCODE = 'P0001';
    END IF;
    RETURN true;
EXCEPTION
    WHEN raise_exception THEN
        RETURN false;
END;
$$;
