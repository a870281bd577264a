-- 003-files-generation.sql - schema version 3: the 'files' generation,
-- bumped in every transaction that changes reference hashes (files import,
-- product removal, taking over a database), so that every store's
-- in-memory copy of a product's reference hashes (the attestation IMV's
-- file look-ups) is reloaded, another gateway's too.
INSERT INTO generations (name, value) VALUES ('files', 0);
