-- 001-initial.sql - the policy database, schema version 1.
-- The model of strongTNC / strongSwan's IMV database (products, devices,
-- groups, policies, enforcements, sessions, workitems, packages, versions,
-- files and hashes); policy/README.md says where and why it differs.
-- Applied by the store in one transaction together with its row in
-- schema_version; never edited once released: changes go in a new file.

CREATE TABLE schema_version (
  version INTEGER NOT NULL PRIMARY KEY,
  applied INTEGER NOT NULL                  -- unix time the migration ran
);

CREATE TABLE products (
  id INTEGER NOT NULL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 255)
);

CREATE TABLE devices (
  id INTEGER NOT NULL PRIMARY KEY,
  value TEXT NOT NULL UNIQUE CHECK (length(value) BETWEEN 1 AND 255), -- device ID
  description TEXT NOT NULL DEFAULT '',
  product INTEGER REFERENCES products(id) ON DELETE SET NULL,
  trusted INTEGER NOT NULL DEFAULT 0 CHECK (trusted IN (0, 1)),
  aik_keyid TEXT CHECK (aik_keyid IS NULL OR (length(aik_keyid) BETWEEN 2 AND 128
                        AND aik_keyid NOT GLOB '*[^0-9a-f]*')),
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL
);
CREATE INDEX devices_product ON devices (product);

CREATE TABLE identities (
  id INTEGER NOT NULL PRIMARY KEY,
  type TEXT NOT NULL CHECK (length(type) BETWEEN 1 AND 32),  -- e.g. 'dn', 'ipv4', 'fqdn'
  value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 1024),
  UNIQUE (type, value)
);

CREATE TABLE devices_identities (            -- which identities a device was seen with
  device INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  identity INTEGER NOT NULL REFERENCES identities(id) ON DELETE CASCADE,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  PRIMARY KEY (device, identity)
) WITHOUT ROWID;

CREATE TABLE sessions (
  id INTEGER NOT NULL PRIMARY KEY,
  time INTEGER NOT NULL,
  connection INTEGER NOT NULL,               -- TNCCS connection ID
  identity INTEGER REFERENCES identities(id) ON DELETE SET NULL,
  device INTEGER REFERENCES devices(id) ON DELETE SET NULL,
  product INTEGER REFERENCES products(id) ON DELETE SET NULL,
  rec TEXT CHECK (rec IN ('allow', 'no_access', 'isolate', 'none')),    -- NULL: not finished
  eval TEXT CHECK (eval IN ('compliant', 'noncompliant_minor', 'noncompliant_major',
                            'error', 'dont_know'))
);
CREATE INDEX sessions_time ON sessions (time);
CREATE INDEX sessions_device ON sessions (device, time);

CREATE TABLE groups (
  id INTEGER NOT NULL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 255),
  parent INTEGER REFERENCES groups(id) ON DELETE SET NULL,
  is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1))  -- applies to every device
);
CREATE UNIQUE INDEX groups_one_default ON groups (is_default) WHERE is_default = 1;

CREATE TABLE groups_devices (
  group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  device INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, device)
) WITHOUT ROWID;
CREATE INDEX groups_devices_device ON groups_devices (device);

CREATE TABLE groups_products (               -- every device of the product is a member
  group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  product INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, product)
) WITHOUT ROWID;
CREATE INDEX groups_products_product ON groups_products (product);

CREATE TABLE directories (
  id INTEGER NOT NULL PRIMARY KEY,
  path TEXT NOT NULL UNIQUE CHECK (path GLOB '/*')
);

CREATE TABLE files (
  id INTEGER NOT NULL PRIMARY KEY,
  dir INTEGER NOT NULL REFERENCES directories(id) ON DELETE CASCADE,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 255 AND name NOT GLOB '*/*'),
  UNIQUE (dir, name)
);

CREATE TABLE file_hashes (                   -- reference hashes per product and algorithm
  file INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  product INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  algo TEXT NOT NULL CHECK (algo IN ('sha1', 'sha256', 'sha384', 'sha512')),
  hash TEXT NOT NULL CHECK (hash NOT GLOB '*[^0-9a-f]*' AND length(hash) =
         CASE algo WHEN 'sha1' THEN 40 WHEN 'sha256' THEN 64 WHEN 'sha384' THEN 96 ELSE 128 END),
  size INTEGER CHECK (size IS NULL OR size >= 0),
  PRIMARY KEY (file, product, algo)
) WITHOUT ROWID;
CREATE INDEX file_hashes_product ON file_hashes (product);

CREATE TABLE policies (
  id INTEGER NOT NULL PRIMARY KEY,
  type TEXT NOT NULL CHECK (type IN ('PCKGS', 'UNSRC', 'FWDEN', 'PWDEN', 'FREFM', 'FMEAS',
        'FMETA', 'DREFM', 'DMEAS', 'DMETA', 'TCPOP', 'TCPBL', 'UDPOP', 'UDPBL', 'SWIDT',
        'SWIDI', 'TPMRA')),
  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 255),
  argument TEXT NOT NULL DEFAULT '' CHECK (length(argument) <= 1024),
  rec_fail TEXT NOT NULL CHECK (rec_fail IN ('allow', 'no_access', 'isolate', 'none')),
  rec_noresult TEXT NOT NULL CHECK (rec_noresult IN ('allow', 'no_access', 'isolate', 'none')),
  file INTEGER REFERENCES files(id) ON DELETE RESTRICT,       -- FREFM FMEAS FMETA
  dir INTEGER REFERENCES directories(id) ON DELETE RESTRICT   -- DREFM DMEAS DMETA
);

CREATE TABLE enforcements (
  id INTEGER NOT NULL PRIMARY KEY,
  policy INTEGER NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
  group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  max_age INTEGER NOT NULL DEFAULT 0 CHECK (max_age >= 0),  -- seconds a result stays valid
  rec_fail TEXT CHECK (rec_fail IN ('allow', 'no_access', 'isolate', 'none')),   -- NULL: the policy's
  rec_noresult TEXT CHECK (rec_noresult IN ('allow', 'no_access', 'isolate', 'none')),
  UNIQUE (policy, group_id)
);
CREATE INDEX enforcements_group ON enforcements (group_id);

CREATE TABLE workitems (
  id INTEGER NOT NULL PRIMARY KEY,
  session INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  policy INTEGER REFERENCES policies(id) ON DELETE SET NULL,
  enforcement INTEGER REFERENCES enforcements(id) ON DELETE SET NULL,
  type TEXT NOT NULL,
  argument TEXT NOT NULL DEFAULT '',
  rec_fail TEXT NOT NULL,
  rec_noresult TEXT NOT NULL,
  imv INTEGER CHECK (imv IS NULL OR imv BETWEEN 0 AND 4294967295),  -- the IMV ID that answered
  result TEXT CHECK (result IS NULL OR length(result) <= 4096),
  rec TEXT CHECK (rec IN ('allow', 'no_access', 'isolate', 'none'))  -- NULL: no result yet
);
CREATE INDEX workitems_session ON workitems (session);
CREATE INDEX workitems_policy ON workitems (policy);

CREATE TABLE packages (
  id INTEGER NOT NULL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 255),
  blacklist INTEGER NOT NULL DEFAULT 0 CHECK (blacklist IN (0, 1))
);

CREATE TABLE versions (
  id INTEGER NOT NULL PRIMARY KEY,
  package INTEGER NOT NULL REFERENCES packages(id) ON DELETE CASCADE,
  product INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  release TEXT NOT NULL CHECK (length(release) <= 255),  -- empty: the package, any release
  security INTEGER NOT NULL DEFAULT 0 CHECK (security IN (0, 1)),
  blacklist INTEGER NOT NULL DEFAULT 0 CHECK (blacklist IN (0, 1)),
  time INTEGER NOT NULL DEFAULT 0,
  UNIQUE (package, product, release)
);
CREATE INDEX versions_product ON versions (product);
