-- 005-policies-generation.sql - schema version 5: the 'policies'
-- generation, bumped in every transaction of an operator's change
-- (products, groups and their members, policies, enforcements, devices;
-- an import or a copy), so that every store's in-memory copy of what
-- applies to a product's devices (the workitems plan) is reloaded,
-- another gateway's too.
INSERT INTO generations (name, value) VALUES ('policies', 0);
