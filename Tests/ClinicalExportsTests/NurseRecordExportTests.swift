import ClinicalExports
import Foundation
import InfusionCore
import Testing

/// The nurse's record in every export (issue 18 item 7): scores and as-needed medications in the report's JSON
/// and CSV, as FHIR `survey` Observations (LOINC for the PHQ-9 total and the pain score) and
/// MedicationAdministrations, and as HL7 ORU^R01 and RAS^O17 messages validated by hl7apy.
@Suite struct NurseRecordExportTests {
    static let nurse = OperatorIdentity(uid: 1001, role: "operator")

    /// The fixture session with scores at two instants (one with a note holding HL7 and CSV delimiters) and two
    /// medications, one outside its usual dose.
    static var session: SessionRecordSet {
        var records = ExportFixtures.session
        let at = ExportFixtures.at(seconds:)
        records.entries += [
            .observation(ObservationEntry(time: at(600), scale: "moaas", value: 4, note: "drowsy, \"fine\" | a^b", actor: nurse)),
            .observation(ObservationEntry(time: at(600), scale: "nausea", value: 2, note: "drowsy, \"fine\" | a^b", actor: nurse)),
            .observation(ObservationEntry(time: at(2_400), scale: "phq9", value: 12, actor: nurse)),
            .medication(MedicationEntry(
                time: at(660), drug: "ondansetron", name: "Ondansetron", dose: 4, unit: .mg, route: .iv, reason: "nausea",
                actor: nurse)),
            .medication(MedicationEntry(
                time: at(1_200), drug: "labetalol", name: "Labetalol", dose: 100, unit: .mg, route: .iv,
                reason: "BP 184/112", overrideReason: "per Dr Lee, repeat dose", actor: nurse)),
        ]
        return records
    }

    @Test func theReportListsScoresAndMedications() throws {
        let report = SessionReport(Self.session)
        #expect(report.observations.map(\.subject) == ["moaas", "nausea", "phq9"])
        #expect(report.observations.map(\.value) == [4, 2, 12])
        #expect(report.observations.first?.reason == "drowsy, \"fine\" | a^b" && report.observations.first?.actorUID == 1001)
        #expect(report.medications.map(\.subject) == ["ondansetron", "labetalol"])
        let labetalol = try #require(report.medications.last)
        #expect(labetalol.value == 100 && labetalol.unit == "mg" && labetalol.status == "IV" && labetalol.reason == "BP 184/112")
        #expect(labetalol.details["overrideReason"] == "per Dr Lee, repeat dose" && labetalol.details["name"] == "Labetalol")
        #expect(report.medications.first?.details["overrideReason"] == nil)
        let json = try report.json()
        #expect(json.contains("\"medications\"") && json.contains("\"observations\""))
        let csv = report.csv()
        #expect(csv.contains("medication,") && csv.contains(",ondansetron,4,mg,IV,"), "\(csv)")
        #expect(report.timeline.count == Self.session.entries.count)
    }

    @Test func pythonsCSVReaderReadsTheRowsTheJSONHas() throws {
        let report = SessionReport(Self.session)
        let directory = try ExportPeerCheckTests.scratchDirectory()
        try report.csv().write(toFile: directory + "/report.csv", atomically: true, encoding: .utf8)
        try report.json().write(toFile: directory + "/report.json", atomically: true, encoding: .utf8)
        let summary = try ExportPeerCheckTests.runChecker(
            "check_report.py", [directory + "/report.csv", directory + "/report.json"])
        #expect(summary["rows"] as? Int == Self.session.entries.count)
    }

    @Test func fhirCarriesSurveyObservationsAndAdministrations() throws {
        let bundle = FHIRExporter().bundle(for: Self.session).text()
        let directory = try ExportPeerCheckTests.scratchDirectory()
        try bundle.write(toFile: directory + "/bundle.json", atomically: true, encoding: .utf8)
        let summary = try ExportPeerCheckTests.runChecker("check_fhir.py", [directory + "/bundle.json"])
        let counts = try #require(summary["resources"] as? [String: Any])
        #expect(counts["Observation"] as? Int == 8 + 3, "the fixture's 8 and one per score")
        #expect(counts["MedicationAdministration"] as? Int == 1 + 2, "the infusion and one per medication")

        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(bundle.utf8)) as? [String: Any])
        let resources = (parsed["entry"] as? [[String: Any]] ?? []).compactMap { $0["resource"] as? [String: Any] }
        let phq9 = try #require(resources.first { resource in
            ((resource["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.contains { $0["code"] as? String == "phq9" } == true
        })
        let codes = ((phq9["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.map { $0["code"] as? String }
        #expect(codes?.first == "44261-6", "LOINC first: \(String(describing: codes))")
        #expect(phq9["valueInteger"] as? Int == 12)
        let labetalol = try #require(resources.first {
            ($0["medicationCodeableConcept"] as? [String: Any])?["text"] as? String == "Labetalol"
        })
        let dose = (labetalol["dosage"] as? [String: Any])?["dose"] as? [String: Any]
        #expect(dose?["value"] as? Double == 100 && dose?["code"] as? String == "mg")
        #expect(labetalol["effectiveDateTime"] as? String == ExportFixtures.at(seconds: 1_200).iso8601)
        #expect((labetalol["note"] as? [[String: Any]])?.first?["text"] as? String == "outside the usual dose: per Dr Lee, repeat dose")
    }

    @Test func hl7CarriesScoresAndAdministrationsThatHl7apyAccepts() throws {
        let records = Self.session
        let messages = HL7Exporter().nurseRecordMessages(for: records)
        #expect(messages.count == 4, "scores at two instants, two medications")
        let types = messages.map { ParsedHL7($0).segments[0][8] }
        #expect(types == ["ORU^R01^ORU_R01", "RAS^O17^RAS_O17", "RAS^O17^RAS_O17", "ORU^R01^ORU_R01"], "in time order")
        let first = ParsedHL7(messages[0])
        #expect(first.names == ["MSH", "PID", "PV1", "OBR", "OBX", "NTE", "OBX", "NTE"])
        #expect(ParsedHL7.field(first.observations[0], 3) == "moaas^moaas^L")
        #expect(ParsedHL7.field(first.observations[0], 5) == "4")
        #expect(ParsedHL7(messages[3]).observations.first.map { ParsedHL7.field($0, 3) }?.hasPrefix("44261-6^") == true)
        let rxa = try #require(ParsedHL7(messages[2]).segments.first { $0[0] == "RXA" })
        #expect(ParsedHL7.field(rxa, 5) == "labetalol^Labetalol^L" && ParsedHL7.field(rxa, 6) == "100")
        #expect(ParsedHL7.field(rxa, 7) == "mg^mg^UCUM")

        let directory = try ExportPeerCheckTests.scratchDirectory()
        try messages.joined().write(toFile: directory + "/nurse.hl7", atomically: true, encoding: .utf8)
        let summary = try ExportPeerCheckTests.runChecker("check_hl7_nurse.py", [directory + "/nurse.hl7", records.patient.id])
        #expect((summary["R01"] as? [String: Any])?["obx"] as? Int == 3)
        #expect((summary["O17"] as? [String: Any])?["drugs"] as? [String] == ["ondansetron", "labetalol"])
        #expect(try SessionExports(records).text(.hl7).hasSuffix(messages.joined()), "the hl7 export ends with them")
    }

    @Test func theCheckerRefusesAnAdministrationWithoutARoute() throws {
        let messages = HL7Exporter().nurseRecordMessages(for: Self.session)
        let broken = messages[1].replacingOccurrences(of: "RXR|IV^Intravenous^HL70162\r", with: "RXR|\r")
        let directory = try ExportPeerCheckTests.scratchDirectory()
        try broken.write(toFile: directory + "/nurse.hl7", atomically: true, encoding: .utf8)
        let result = try ExportPeerCheckTests.run("check_hl7_nurse.py", [directory + "/nurse.hl7", Self.session.patient.id])
        #expect(result.status == 1, "\(result.complaint)")
    }

    @Test func entriesRoundTripThroughJSON() throws {
        let entries = Self.session.entries.suffix(5)
        let decoded = try JSONDecoder().decode([SessionEntry].self, from: JSONEncoder().encode(Array(entries)))
        #expect(decoded == Array(entries))
    }
}
