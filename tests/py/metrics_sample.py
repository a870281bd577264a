#!/usr/bin/python3
"""Parses `tncctl metrics` output (stdin) with Debian's prometheus_client
parser and prints one sample per line: 'name{labels} value', labels sorted.
A parse error exits non-zero: the test then fails."""
import sys

from prometheus_client.parser import text_string_to_metric_families

text = sys.stdin.read()
families = 0
for family in text_string_to_metric_families(text):
    families += 1
    for s in family.samples:
        labels = ",".join(f'{k}="{v}"' for k, v in sorted(s.labels.items()))
        print(f"{s.name}{{{labels}}} {s.value!r}")
if families == 0:
    sys.exit("no metric family")
