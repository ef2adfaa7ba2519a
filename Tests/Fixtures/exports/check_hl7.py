#!/usr/bin/env python3
"""Checks infusiond's IHE PCD HL7 v2.6 exports with two independent HL7 libraries from PyPI.

Usage: check_hl7.py R01_FILE R40_FILE PATIENT_ID
Each file holds messages back to back, every segment ended by CR. Every message is parsed by
hl7apy at strict validation level (segment grammar, required fields, data types) and checked
against the PCD-01 / PCD-04 structure; python-hl7 reads it too and undoes the escapes of PID-3. Prints a JSON summary; exits non-zero on any failure.
"""
import json
import re
import sys

from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.parser import parse_message

from hl7_common import CheckFailed, check_patient, require, split_messages

# IEEE 11073-10101 terms from docs/CLINICAL-BASIS.md section 4.1.
MDC = {
    69965: "MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS", 70686: "MDC_DEV_PRESS_BLD_NONINV_VMD",
    70687: "MDC_DEV_PRESS_BLD_NONINV_CHAN", 69642: "MDC_DEV_ANALY_SAT_O2_VMD", 4262: "MDC_DEV_ECG_VMD",
    4263: "MDC_DEV_ECG_CHAN", 69985: "MDC_DEV_PUMP_INFUS_MDS", 69986: "MDC_DEV_PUMP_INFUS_VMD",
    150456: "MDC_PULS_OXIM_SAT_O2", 149530: "MDC_PULS_OXIM_PULS_RATE", 150448: "MDC_PULS_OXIM_PERF_REL",
    147842: "MDC_ECG_HEART_RATE", 150021: "MDC_PRESS_BLD_NONINV_SYS", 150022: "MDC_PRESS_BLD_NONINV_DIA",
    150023: "MDC_PRESS_BLD_NONINV_MEAN", 151562: "MDC_RESP_RATE", 157784: "MDC_FLOW_FLUID_PUMP",
    157924: "MDC_RATE_DOSE", 157760: "MDC_CONC_DRUG", 157884: "MDC_VOL_FLUID_TBI",
    157993: "MDC_VOL_FLUID_DELIV_TOTAL", 184519: "MDC_PUMP_INFUSING_STATUS", 196616: "MDC_EVT_ALARM",
    196670: "MDC_EVT_LO", 196940: "MDC_EVT_FLUID_LINE_OCCL", 68480: "MDC_ATTR_ALERT_SOURCE",
    68481: "MDC_ATTR_EVENT_PHASE", 68482: "MDC_ATTR_ALARM_STATE", 68483: "MDC_ATTR_ALARM_INACTIVATION_STATE",
    68484: "MDC_ATTR_ALARM_PRIORITY", 68485: "MDC_ATTR_ALERT_TYPE",
}
UNITS = {
    262688: "MDC_DIM_PERCENT", 264864: "MDC_DIM_BEAT_PER_MIN", 264928: "MDC_DIM_RESP_PER_MIN",
    266016: "MDC_DIM_MMHG", 265266: "MDC_DIM_MILLI_L_PER_HR", 265650: "MDC_DIM_MILLI_G_PER_KG_PER_HR",
    265522: "MDC_DIM_MILLI_G_PER_HR", 264306: "MDC_DIM_MILLI_G_PER_ML", 263762: "MDC_DIM_MILLI_L",
}
PROFILES = {
    "R01": "IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO",
    "R40": "IHE_PCD_ACM_001^IHE PCD^1.3.6.1.4.1.19376.1.6.4.4.1^ISO",
}
PHASES = {"tpoint", "start", "start_only", "continue", "end", "present", "update", "escalate", "inactivate",
          "acknowledged", "deescalate", "reset", "stop"}
STATES = {"inactive", "active", "latched"}
INACTIVATION = {"enabled", "audio-paused", "audio-off", "alarm-paused", "alarm-off", "acknowledged"}


def check_coded(value, table, what):
    parts = value.split("^")
    require(len(parts) >= 3 and parts[2] == "MDC", f"{what} {value!r} is not an MDC coding")
    require(parts[0].isdigit() and int(parts[0]) in table, f"{what} {value!r}: unknown 11073 code")
    require(table[int(parts[0])] == parts[1], f"{what} {value!r}: code and reference id disagree")


def parse_strict(text, trigger):
    # hl7apy's tables have no ORU_R40 structure (IHE pre-adopted the R40 trigger; its segment
    # grammar is that of ORU_R01), so an R40 message is validated against the ORU_R01 grammar.
    if trigger == "R40":
        text = text.replace("|ORU^R40^ORU_R40|", "|ORU^R01^ORU_R01|", 1)
    message = parse_message(text, validation_level=VALIDATION_LEVEL.STRICT, find_groups=True)
    message.validate()
    return message


def check_message(text, trigger, patient_id):
    segments = [s.split("|") for s in text.rstrip("\r").split("\r")]
    names = [s[0] for s in segments]
    require(names[:4] == ["MSH", "PID", "PV1", "OBR"], f"segment order {names[:4]}")
    require(all(n == "OBX" for n in names[4:]) and len(names) > 4, "after OBR only OBX segments may follow")
    msh = segments[0]
    require(msh[8] == f"ORU^{trigger}^ORU_{trigger}", f"MSH-9 {msh[8]!r}")
    require(msh[11] == "2.6", f"MSH-12 {msh[11]!r}")
    require(msh[20] == PROFILES[trigger], f"MSH-21 {msh[20]!r}")

    message = parse_strict(text, trigger)
    require(message.msh.msh_12.to_er7() == "2.6", "hl7apy reads another version")
    results = message.oru_r01_patient_result
    check_patient(text, patient_id)
    observations = results.oru_r01_order_observation.children.get("ORU_R01_OBSERVATION")
    obx_rows = [group.obx for group in observations]
    require(len(obx_rows) == len(names) - 4, "hl7apy found a different number of OBX segments")

    addresses = []
    for number, obx in enumerate(obx_rows, start=1):
        require(obx.obx_1.to_er7() == str(number), f"OBX-1 {obx.obx_1.to_er7()} out of sequence")
        check_coded(obx.obx_3.to_er7(), MDC, "OBX-3")
        value = obx.obx_5.to_er7()
        if obx.obx_2.to_er7() == "NM":
            # hl7apy leaves OBX-5 untyped (its type is in OBX-2), so the NM grammar is checked here.
            require(value == "" or re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", value), f"OBX-5 {value!r} is not NM")
        unit = obx.obx_6.to_er7()
        if unit:
            check_coded(unit, UNITS, "OBX-6")
        addresses.append([int(p) for p in obx.obx_4.to_er7().split(".")])
        if trigger == "R01":
            require(obx.obx_18.to_er7() != "", "OBX-18 equipment identifier missing")
            require(obx.obx_11.to_er7() in ("R", "F", "X"), "OBX-11 must be R, F or X")
    if trigger == "R01":
        require(addresses == sorted(addresses), "OBX-4 rows are not in dictionary order")
        require(addresses[0] == [1, 0, 0, 0], "the first OBX must be the MDS")
    else:
        check_alert(obx_rows, addresses)
    return len(obx_rows)


def check_alert(obx_rows, addresses):
    require(len(obx_rows) == 7, "an alert has seven facets")
    require([a[-1] for a in addresses] == list(range(1, 8)), "facets must be numbered 1..7")
    require(all(a[:-1] == addresses[0][:-1] for a in addresses), "facets of one alert share an address")
    values = [obx.obx_5.to_er7() for obx in obx_rows]
    require(values[2] in PHASES, f"event phase {values[2]!r}")
    require(values[3] in STATES, f"alarm state {values[3]!r}")
    require(values[4] in INACTIVATION, f"inactivation state {values[4]!r}")
    require(values[5] in ("PN", "PL", "PM", "PH"), f"priority {values[5]!r}")
    require(values[6] in ("SP", "ST", "SA"), f"alert type {values[6]!r}")
    facet_codes = [int(obx.obx_3.to_er7().split("^")[0]) for obx in obx_rows[2:]]
    require(facet_codes == [68481, 68482, 68483, 68484, 68485], "facets 3..7 carry the ACM attribute codes")


def main():
    r01_path, r40_path, patient_id = sys.argv[1:4]
    summary = {}
    try:
        for trigger, path in (("R01", r01_path), ("R40", r40_path)):
            with open(path, encoding="utf-8", newline="") as handle:
                messages = split_messages(handle.read())
            require(messages, f"{path} holds no message")
            counts = [check_message(m, trigger, patient_id) for m in messages]
            summary[trigger] = {"messages": len(messages), "obx": sum(counts)}
    except Exception as error:  # hl7apy raises its own exception types; any of them fails the check
        print(f"check_hl7: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(json.dumps(summary, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
