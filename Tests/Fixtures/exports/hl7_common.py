"""What the HL7 export checks share: failing with a message, splitting a file into messages, and reading the
patient reference with python-hl7 (which undoes the escapes)."""
import re

import hl7


class CheckFailed(Exception):
    pass


def require(condition, message):
    if not condition:
        raise CheckFailed(message)


def split_messages(text):
    """The messages of a file that holds them back to back, every segment ended by CR."""
    require("\n" not in text, "segments must end with CR only")
    require(text.endswith("\r"), "the last segment must end with CR")
    starts = [m.start() for m in re.finditer(r"(?:^|\r)MSH\|", text)]
    chunks = []
    for i, start in enumerate(starts):
        begin = start if text[start] == "M" else start + 1
        end = starts[i + 1] + 1 if i + 1 < len(starts) else len(text)
        chunks.append(text[begin:end])
    return chunks


def check_patient(text, patient_id):
    """PID-3.1, unescaped by python-hl7, is the patient reference."""
    lenient = hl7.parse(text)
    patient = lenient.unescape(str(lenient.segment("PID")[3][0][0]))
    require(patient == patient_id, f"PID-3.1 unescapes to {patient!r}, not the patient reference")
