-- default-policy.sql - the rows a new database starts with (not a migration:
-- applied once, by the store's create, after the schema files).
-- A default group applies to every device of every product; it enforces the
-- installed-packages, IP-forwarding and default-password checks; an endpoint
-- failing one, or not answering it, is isolated (a remediation network).
INSERT INTO groups (name, is_default) VALUES ('Default', 1);
INSERT INTO policies (type, name, rec_fail, rec_noresult) VALUES
  ('PCKGS', 'Installed Packages', 'isolate', 'isolate'),
  ('FWDEN', 'IP Forwarding Enabled', 'isolate', 'isolate'),
  ('PWDEN', 'Default Password Enabled', 'isolate', 'isolate');
INSERT INTO enforcements (policy, group_id, max_age)
  SELECT p.id, g.id, 0 FROM policies AS p, groups AS g WHERE g.is_default = 1;
