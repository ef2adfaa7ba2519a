#!/usr/bin/env python3
"""Reads infusiond's session report CSV with Python's csv module (RFC 4180 dialect) and checks it
against the JSON report: same header, one row per record, and free text that survives quoting.

Usage: check_report.py REPORT_CSV REPORT_JSON
Prints a JSON summary; exits non-zero on any failure.
"""
import csv
import json
import sys

COLUMNS = ["kind", "time", "time_ms", "subject", "value", "unit", "status", "actor_uid", "actor_role", "reason",
           "details"]
SECTIONS = ["rateChanges", "limitEvents", "pumpCommands", "pumpReadBacks", "alarms", "vitals",
            "predictedConcentrations", "recoveries", "discharges", "observations", "medications"]


def main():
    with open(sys.argv[1], encoding="utf-8", newline="") as handle:
        raw = handle.read()
    rows = list(csv.reader(raw.splitlines(keepends=True), strict=True))
    with open(sys.argv[2], encoding="utf-8") as handle:
        report = json.load(handle)
    failures = []
    if rows[0] != COLUMNS:
        failures.append(f"header {rows[0]}")
    if any(len(row) != len(COLUMNS) for row in rows):
        failures.append("a row has the wrong number of fields")
    if not raw.endswith("\r\n") or "\n" in raw.replace("\r\n", ""):
        failures.append("records must end with CRLF")
    json_rows = sorted((r for s in SECTIONS for r in report[s]), key=lambda r: r["timeMs"])
    if len(json_rows) != len(rows) - 1:
        failures.append(f"{len(rows) - 1} CSV rows, {len(json_rows)} JSON rows")
    reasons_csv = sorted(row[9] for row in rows[1:] if row[9])
    reasons_json = sorted(r["reason"] for r in json_rows if r.get("reason"))
    if reasons_csv != reasons_json:
        failures.append(f"reasons differ: {reasons_csv} vs {reasons_json}")
    times = [int(row[2]) for row in rows[1:]]
    if times != sorted(times):
        failures.append("CSV rows are not in time order")
    if failures:
        print("check_report: " + "; ".join(failures), file=sys.stderr)
        return 1
    print(json.dumps({"rows": len(rows) - 1, "reasons": len(reasons_csv)}, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
