-- 004-software.sql - schema version 4: the software database of the SWIMA
-- IMV (RFC 8412).  Software identifiers and their SWID tags are shared by
-- every device; each device has its inventory (what it runs now), the
-- events its SWIMA IMC reported and its SWIMA state (the epoch and the
-- last event ID stored); advisories mark package versions vulnerable.
-- The forbidden and required packages of a SWIDT / SWIDI policy are its
-- argument (policy/README.md, "Software"), not rows here.

CREATE TABLE sw_identifiers (
  id INTEGER NOT NULL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 1024), -- RFC 8412 Software Identifier
  package TEXT CHECK (package IS NULL OR length(package) BETWEEN 1 AND 255),  -- NULL: not known
  version TEXT CHECK (version IS NULL OR length(version) BETWEEN 1 AND 255),
  regid TEXT CHECK (regid IS NULL OR length(regid) BETWEEN 1 AND 255)       -- the tag creator
);
CREATE INDEX sw_identifiers_package ON sw_identifiers (package, version);

CREATE TABLE sw_tags (                       -- the SWID tag (ISO/IEC 19770-2 XML) of an identifier
  identifier INTEGER NOT NULL PRIMARY KEY REFERENCES sw_identifiers(id) ON DELETE CASCADE,
  tag TEXT NOT NULL CHECK (length(tag) BETWEEN 1 AND 65536),
  stored INTEGER NOT NULL
);

CREATE TABLE sw_inventory (                  -- what each device runs now
  device INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  identifier INTEGER NOT NULL REFERENCES sw_identifiers(id) ON DELETE CASCADE,
  since INTEGER NOT NULL,                    -- time of the session that reported it (sessions.time)
  PRIMARY KEY (device, identifier)
) WITHOUT ROWID;
CREATE INDEX sw_inventory_identifier ON sw_inventory (identifier);

CREATE TABLE sw_events (                     -- the events a device's SWIMA IMC reported
  id INTEGER NOT NULL PRIMARY KEY,
  device INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL CHECK (epoch BETWEEN 0 AND 4294967295),
  eid INTEGER NOT NULL CHECK (eid BETWEEN 0 AND 4294967295),
  time TEXT NOT NULL CHECK (length(time) <= 32),   -- RFC 3339, as the endpoint gave it
  action TEXT NOT NULL CHECK (action IN ('create', 'delete', 'alter')),
  identifier INTEGER NOT NULL REFERENCES sw_identifiers(id) ON DELETE CASCADE,
  UNIQUE (device, epoch, eid, identifier, action)
);
CREATE INDEX sw_events_identifier ON sw_events (identifier);

CREATE TABLE sw_state (                      -- where a device's stored events stand
  device INTEGER NOT NULL PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL CHECK (epoch BETWEEN 0 AND 4294967295),
  last_eid INTEGER NOT NULL CHECK (last_eid BETWEEN 0 AND 4294967295),
  updated INTEGER NOT NULL
);

CREATE TABLE sw_vulnerable (                 -- package versions an advisory marks vulnerable
  id INTEGER NOT NULL PRIMARY KEY,
  package TEXT NOT NULL CHECK (length(package) BETWEEN 1 AND 255),
  kind TEXT NOT NULL CHECK (kind IN ('below', 'exact')),  -- every version below it, or that one
  version TEXT NOT NULL CHECK (length(version) BETWEEN 1 AND 255),
  advisory TEXT NOT NULL CHECK (length(advisory) BETWEEN 1 AND 64),   -- 'DSA-5532-1'
  source TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 255),      -- the file it came from
  UNIQUE (package, kind, version, advisory)
);
