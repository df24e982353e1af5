-- Grain state for Orleans' ADO.NET persistence provider, on PostgreSQL (cluster mode).
-- The provider reads its statements from OrleansQuery (see queries/*.sql, kept in step by `migrate`).
--
-- Unlike the script Orleans publishes, a grain's row is identified by a real primary key, so two
-- concurrent first writes of one grain cannot both insert (the published table has only a
-- non-unique index on two hashes). Identifiers are unquoted: PostgreSQL folds them to lower case,
-- and Orleans reads result columns by name case-insensitively.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    ServiceId              varchar(150) NOT NULL,
    GrainTypeString        varchar(512) NOT NULL,
    GrainIdN0              bigint       NOT NULL,
    GrainIdN1              bigint       NOT NULL,
    -- The string part of the grain id ('' when it has none: NULLs would never conflict).
    GrainIdExtensionString varchar(512) NOT NULL,
    PayloadBinary          bytea        NULL,
    -- The optimistic-concurrency version (Orleans' ETag): 1 on insert, +1 on every write.
    Version                integer      NOT NULL,
    ModifiedOn             timestamptz  NOT NULL,
    CONSTRAINT PK_OrleansStorage PRIMARY KEY (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString)
);
