#!/usr/bin/python3
"""Checks a `tncctl --json` document (stdin) against the field types its
command documents (argv[1]): every row has every field, each of its type
(or null where /proc may not say).  Prints the row count."""
import json
import sys

INT, STR, NUM = int, str, float
SCHEMAS = {
    "status": {"name": STR, "pid": INT, "uid": INT, "generation": INT, "state": STR,
               "restarts": INT, "uptime": INT, "backoff_ms": INT, "last_exit": STR},
    "privileges": {"name": STR, "pid": INT, "uid": INT, "gid": INT, "groups": STR,
                   "cap_eff": STR, "cap_bnd": STR, "no_new_privs": INT, "seccomp": INT,
                   "syscalls": INT, "fds": INT, "root": STR, "cwd": STR},
    "metrics": {"family": STR, "type": STR, "help": STR, "sample": STR, "value": NUM},
    "none": {},
}
NULLABLE = {"privileges": {"uid", "gid", "no_new_privs", "seccomp", "fds"}}

doc = json.load(sys.stdin)
schema = SCHEMAS[sys.argv[1]]
assert isinstance(doc["status"], int) and not isinstance(doc["status"], bool), doc["status"]
assert isinstance(doc["message"], str), doc["message"]
assert isinstance(doc["rows"], list)
for row in doc["rows"]:
    assert set(row) == set(schema), (sorted(row), sorted(schema))
    for key, want in schema.items():
        v = row[key]
        if v is None and key in NULLABLE.get(sys.argv[1], ()):
            continue
        if want is NUM:
            ok = isinstance(v, (int, float)) and not isinstance(v, bool)
        else:
            ok = isinstance(v, want) and not isinstance(v, bool)
        assert ok, f"{key}={v!r} is not {want.__name__}"
if sys.argv[1] != "none":
    assert doc["rows"], "no rows"
print(len(doc["rows"]))
