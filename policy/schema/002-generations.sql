-- 002-generations.sql - schema version 2: a counter per kind of data a
-- store holds in memory, bumped in the transaction that changes it and read
-- before the copy is trusted.  'packages': the releases of products (the
-- package cache), changed by any gateway sharing the database.
CREATE TABLE generations (
  name TEXT NOT NULL PRIMARY KEY,
  value INTEGER NOT NULL
);
INSERT INTO generations (name, value) VALUES ('packages', 0);
