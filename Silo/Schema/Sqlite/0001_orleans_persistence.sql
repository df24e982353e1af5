-- Grain state for Orleans' ADO.NET persistence provider, on SQLite (the embedded default).
-- The provider reads its statements from OrleansQuery (see queries/*.sql, kept in step by `migrate`).
--
-- Unlike the script Orleans publishes, a grain's row is identified by a real primary key, so two
-- concurrent first writes of one grain cannot both insert: the second one conflicts and fails its
-- version check. No hash columns are needed: the key itself is the index.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    ServiceId              TEXT    NOT NULL,
    GrainTypeString        TEXT    NOT NULL,
    GrainIdN0              INTEGER NOT NULL,
    GrainIdN1              INTEGER NOT NULL,
    -- The string part of the grain id ('' when it has none: NULLs would never conflict).
    GrainIdExtensionString TEXT    NOT NULL,
    PayloadBinary          BLOB    NULL,
    -- The optimistic-concurrency version (Orleans' ETag): 1 on insert, +1 on every write.
    Version                INTEGER NOT NULL,
    ModifiedOn             TEXT    NOT NULL,
    PRIMARY KEY (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString)
) WITHOUT ROWID;
