#!/usr/bin/env python3
"""Validates HL7 v2 messages with hl7apy at strict level (segment grammar, required fields, data types).

Usage: validate.py FILE...   (one message per file, segments ended by CR)
Prints one JSON object: {file: "ok" or the error}. Exits 0 whatever it finds; the caller judges.
"""
import json
import sys

from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.parser import parse_message

results = {}
for path in sys.argv[1:]:
    with open(path, encoding="utf-8", newline="") as handle:
        text = handle.read()
    try:
        parse_message(text, validation_level=VALIDATION_LEVEL.STRICT, find_groups=True).validate()
        results[path] = "ok"
    except Exception as error:  # noqa: BLE001 - every failure is reported
        results[path] = f"{type(error).__name__}: {error}"
print(json.dumps(results))
