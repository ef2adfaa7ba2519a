#!/usr/bin/env python3
"""Structural checks of infusiond's FHIR R4 session bundle.

Usage: check_fhir.py BUNDLE_JSON
Checks: a Bundle of type collection or transaction; every entry has a unique urn:uuid fullUrl
matching its resource id; resource types and the fields R4 requires of each; every reference
resolves to an entry of the bundle; no element is empty; the Patient carries no demographics; vital-sign Observations
carry the vital-signs category, an 11073 coding, LOINC where one exists, and UCUM quantities; the nurse's
scores carry the survey category, a whole-number value and LOINC where the scale has one; an as-needed
MedicationAdministration carries its time, a UCUM dose and a route.
Prints a JSON summary; exits non-zero on any failure.
"""
import json
import re
import sys

UUID_URN = re.compile(r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
MDC_SYSTEM = "urn:iso:std:iso:11073:10101"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
# 11073 codes that docs/CLINICAL-BASIS.md section 4.3 pairs with a LOINC code.
LOINC_FOR_MDC = {"150456": "59408-5", "149530": "8867-4", "147842": "8867-4", "150021": "8480-6",
                 "150022": "8462-4", "150023": "8478-0", "151562": "9279-1", "150020": "85354-9",
                 "68063": "29463-7"}
ADMINISTRATION_STATUS = {"in-progress", "not-done", "on-hold", "completed", "entered-in-error", "stopped", "unknown"}
# Observation scales that docs/CLINICAL-BASIS.md section 4.3 pairs with a LOINC code.
LOINC_FOR_SCALE = {"phq9": "44261-6", "painNRS": "72514-3"}
SCALE_SYSTEM = "urn:infusiond:observation-scale"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
DEMOGRAPHICS = {"name", "birthDate", "gender", "address", "telecom", "photo", "contact"}


class CheckFailed(Exception):
    pass


def require(condition, message):
    if not condition:
        raise CheckFailed(message)


def references(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "reference":
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for item in node:
            yield from references(item)


def empty_elements(node, path="Bundle"):
    """FHIR JSON has no empty objects, arrays or strings: an element is present with a value or absent."""
    if node in ({}, [], ""):
        yield path
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from empty_elements(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from empty_elements(item, f"{path}[{index}]")


def codings(concept, system):
    return [c["code"] for c in concept.get("coding", []) if c.get("system") == system]


def check_quantity(quantity):
    require(isinstance(quantity.get("value"), (int, float)), "quantity without a number")
    require(quantity.get("system") == UCUM and quantity.get("code"), "quantity is not UCUM-coded")


def check_score(resource):
    scales = codings(resource["code"], SCALE_SYSTEM)
    require(len(scales) == 1, "a score's code needs its scale id")
    if scales[0] in LOINC_FOR_SCALE:
        require(LOINC_FOR_SCALE[scales[0]] in codings(resource["code"], LOINC), f"missing LOINC for {scales[0]}")
    require(isinstance(resource.get("valueInteger"), int), "a score is a whole number")
    require("effectiveDateTime" in resource, "Observation.effectiveDateTime")


def check_observation(resource):
    require(resource.get("status") == "final", "Observation.status")
    if any(codings(c, CATEGORY) == ["survey"] for c in resource.get("category", [])):
        check_score(resource)
        return
    require(any(codings(c, "http://terminology.hl7.org/CodeSystem/observation-category") == ["vital-signs"]
                for c in resource.get("category", [])), "Observation without the vital-signs category")
    mdc = codings(resource["code"], MDC_SYSTEM)
    require(len(mdc) == 1, "Observation.code needs one 11073 coding")
    if mdc[0] in LOINC_FOR_MDC:
        require(LOINC_FOR_MDC[mdc[0]] in codings(resource["code"], LOINC), f"missing LOINC for {mdc[0]}")
    require("effectiveDateTime" in resource, "Observation.effectiveDateTime")
    if "component" in resource:
        for component in resource["component"]:
            require(codings(component["code"], MDC_SYSTEM), "component without an 11073 coding")
            if "valueQuantity" in component:
                check_quantity(component["valueQuantity"])
    elif "valueQuantity" in resource:
        check_quantity(resource["valueQuantity"])
    else:
        require("dataAbsentReason" in resource, "Observation with neither value nor dataAbsentReason")


def check_resource(resource):
    kind = resource.get("resourceType")
    if kind == "Patient":
        require(resource.get("identifier"), "Patient.identifier")
        require(not (DEMOGRAPHICS & resource.keys()), "Patient must carry no demographics")
    elif kind == "Device":
        require(codings(resource.get("type", {}), MDC_SYSTEM), "Device.type needs an 11073 coding")
        require(resource.get("identifier") or not resource.get("serialNumber"), "a serial number must be an identifier too")
    elif kind == "Observation":
        check_observation(resource)
    elif kind == "MedicationAdministration":
        require(resource.get("status") in ADMINISTRATION_STATUS, "MedicationAdministration.status")
        require("medicationCodeableConcept" in resource, "MedicationAdministration.medication[x]")
        require("subject" in resource, "MedicationAdministration.subject")
        dosage = resource.get("dosage", {})
        check_quantity(dosage.get("dose", {}))
        if "effectiveDateTime" in resource:
            # An as-needed medication: given at one instant, by a route, for a reason.
            require(dosage.get("route", {}).get("text"), "an as-needed dose needs its route")
            require(resource.get("reasonCode"), "an as-needed dose needs its reason")
        else:
            require(resource.get("effectivePeriod", {}).get("start"), "MedicationAdministration.effectivePeriod.start")
            check_quantity(dosage.get("rateQuantity", {}))
    else:
        raise CheckFailed(f"unexpected resource type {kind!r}")
    return kind


def main():
    try:
        with open(sys.argv[1], encoding="utf-8") as handle:
            bundle = json.load(handle)
        require(bundle.get("resourceType") == "Bundle", "not a Bundle")
        require(bundle.get("type") in ("collection", "transaction"), "Bundle.type")
        empty = list(empty_elements(bundle))
        require(not empty, f"empty elements: {empty}")
        entries = bundle.get("entry", [])
        full_urls = [e.get("fullUrl", "") for e in entries]
        require(len(set(full_urls)) == len(full_urls), "duplicate fullUrl")
        counts = {}
        for entry in entries:
            require(UUID_URN.match(entry["fullUrl"]), f"fullUrl {entry['fullUrl']!r} is not a urn:uuid")
            resource = entry["resource"]
            require(resource.get("id") in (None, entry["fullUrl"][len("urn:uuid:"):]), "id differs from fullUrl")
            require(bundle["type"] == "transaction" or "request" not in entry, "request in a collection")
            kind = check_resource(resource)
            counts[kind] = counts.get(kind, 0) + 1
        unresolved = [r for r in references(entries) if r not in full_urls]
        require(not unresolved, f"references outside the bundle: {unresolved}")
        # A session with no recorded time has no MedicationAdministration, so only these are required.
        for kind in ("Patient", "Device"):
            require(counts.get(kind), f"no {kind} in the bundle")
    except (CheckFailed, KeyError, TypeError, ValueError) as error:
        print(f"check_fhir: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(json.dumps({"resources": counts, "references": len(list(references(entries)))}, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
