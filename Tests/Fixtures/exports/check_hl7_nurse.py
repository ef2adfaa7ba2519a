#!/usr/bin/env python3
"""Checks infusiond's HL7 v2.6 export of the nurse's record with hl7apy (PyPI) at strict validation.

Usage: check_hl7_nurse.py FILE PATIENT_ID
FILE holds messages back to back, every segment ended by CR: ORU^R01 with the nurse's scores (MSH, PID, PV1,
OBR, then OBX rows each optionally followed by an NTE) and RAS^O17 with one as-needed medication (MSH, PID, PV1,
ORC, RXA, RXR). Every message is parsed and validated by hl7apy (segment grammar, required fields, data
types); the fields the export promises are checked here. Prints a JSON summary; exits non-zero on any failure.
"""
import json
import re
import sys

from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.parser import parse_message

from hl7_common import CheckFailed, check_patient, require, split_messages

ROUTES = {"IV": "Intravenous", "IM": "Intramuscular", "PO": "Oral", "SL": "Sublingual"}


def check_scores(text, names):
    require(names[:4] == ["MSH", "PID", "PV1", "OBR"], f"segment order {names[:4]}")
    require(all(n in ("OBX", "NTE") for n in names[4:]) and names[4] == "OBX", "after OBR only OBX (and NTE) rows")
    message = parse_message(text, validation_level=VALIDATION_LEVEL.STRICT, find_groups=True)
    message.validate()
    order = message.oru_r01_patient_result.oru_r01_order_observation
    rows = [group.obx for group in order.children.get("ORU_R01_OBSERVATION")]
    require(len(rows) == names.count("OBX"), "hl7apy found a different number of OBX segments")
    for number, obx in enumerate(rows, start=1):
        require(obx.obx_1.to_er7() == str(number), f"OBX-1 {obx.obx_1.to_er7()} out of sequence")
        require(obx.obx_2.to_er7() == "NM", "a score is NM")
        require(re.fullmatch(r"-?\d+", obx.obx_5.to_er7()), f"OBX-5 {obx.obx_5.to_er7()!r} is not a whole score")
        code = obx.obx_3.to_er7().split("^")
        require(len(code) == 3 and code[2] in ("LN", "L") and code[0], f"OBX-3 {obx.obx_3.to_er7()!r}")
        require(obx.obx_11.to_er7() == "F", "OBX-11 must be F (final)")
        require(obx.obx_14.to_er7() != "", "OBX-14 observation time missing")
    return len(rows)


def check_administration(text, names):
    require(names == ["MSH", "PID", "PV1", "ORC", "RXA", "RXR"], f"segment order {names}")
    message = parse_message(text, validation_level=VALIDATION_LEVEL.STRICT, find_groups=True)
    message.validate()
    order = message.ras_o17_order
    require(order.orc.orc_1.to_er7() == "RE", "ORC-1 must be RE")
    rxa = order.ras_o17_administration.rxa
    require(rxa.rxa_5.to_er7().split("^")[0] != "", "RXA-5 administered code missing")
    require(re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", rxa.rxa_6.to_er7()), f"RXA-6 {rxa.rxa_6.to_er7()!r} is not NM")
    unit = rxa.rxa_7.to_er7().split("^")
    require(len(unit) == 3 and unit[2] == "UCUM" and unit[0] in ("mg", "ug"), f"RXA-7 {rxa.rxa_7.to_er7()!r}")
    require(rxa.rxa_20.to_er7() == "CP", "RXA-20 completion status must be CP")
    route = order.ras_o17_administration.rxr.rxr_1.to_er7().split("^")
    require(len(route) == 3 and route[2] == "HL70162" and ROUTES.get(route[0]) == route[1], f"RXR-1 {route}")
    return rxa.rxa_5.to_er7().split("^")[0]


def main():
    path, patient_id = sys.argv[1:3]
    summary = {"R01": {"messages": 0, "obx": 0}, "O17": {"messages": 0, "drugs": []}}
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            messages = split_messages(handle.read())
        require(messages, f"{path} holds no message")
        for text in messages:
            names = [s.split("|")[0] for s in text.rstrip("\r").split("\r")]
            msh = text.split("\r")[0].split("|")
            require(msh[11] == "2.6", f"MSH-12 {msh[11]!r}")
            check_patient(text, patient_id)
            if msh[8] == "ORU^R01^ORU_R01":
                summary["R01"]["messages"] += 1
                summary["R01"]["obx"] += check_scores(text, names)
            elif msh[8] == "RAS^O17^RAS_O17":
                summary["O17"]["messages"] += 1
                summary["O17"]["drugs"].append(check_administration(text, names))
            else:
                raise CheckFailed(f"unexpected message type {msh[8]!r}")
    except Exception as error:  # hl7apy raises its own exception types; any of them fails the check
        print(f"check_hl7_nurse: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(json.dumps(summary, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
