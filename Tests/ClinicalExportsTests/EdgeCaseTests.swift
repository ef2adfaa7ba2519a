import ClinicalExports
import Foundation
import InfusionCore
import Testing

/// Records the store may well hold: nothing yet, empty identity fields, numbers that are not finite.
@Suite struct EdgeCaseTests {
    static var empty: SessionRecordSet {
        SessionRecordSet(
            sessionID: "S-empty", chairID: "", pump: SessionDevice(vendor: "", model: "", serial: ""),
            monitor: SessionDevice(vendor: "Nonin", model: "7500", serial: "", eui64: ""),
            patient: PatientReference(id: "P-1", weight: Kilograms(60), profileID: "ketamine-psychiatric"),
            program: ProgramSummary(
                drugName: "ketamine", concentration: MilligramsPerMillilitre(1),
                doseRate: DoseRate(0.5, .milligramsPerKilogramPerHour)),
            outcome: .notDone, deliveredDose: Milligrams(0), entries: [])
    }

    @Test func aSessionWithoutRecordsExportsHeadersOnly() throws {
        let records = Self.empty
        #expect(HL7Exporter().observationMessages(for: records).isEmpty)
        #expect(HL7Exporter().alarmMessages(for: records).isEmpty)
        let report = SessionReport(records)
        #expect(report.csv() == SessionReport.csvColumns.joined(separator: ",") + "\r\n")
        #expect(report.timeline.isEmpty)
        _ = try report.json()
    }

    @Test func aBundleWithoutTimesOrSerialsHasNoEmptyElementAndPassesTheChecker() throws {
        let bundle = FHIRExporter().bundle(for: Self.empty)
        let text = bundle.text()
        #expect(!text.contains(#""""#))
        #expect(!text.contains("[]"))
        #expect(!text.contains("{}"))
        #expect(!text.contains("MedicationAdministration"))
        let directory = try ExportPeerCheckTests.scratchDirectory()
        try text.write(toFile: directory + "/bundle.json", atomically: true, encoding: .utf8)
        let summary = try ExportPeerCheckTests.runChecker("check_fhir.py", [directory + "/bundle.json"])
        let counts = try #require(summary["resources"] as? [String: Any])
        #expect(counts["Device"] as? Int == 2)
        #expect(counts["MedicationAdministration"] == nil)
    }

    @Test func numbersThatAreNotFiniteNeverBreakAnExport() throws {
        var records = Self.empty
        let time = UTCInstant(millisecondsSinceEpoch: 0)
        records.entries = [
            .vital(VitalEntry(time: time, parameter: .spo2, value: .nan)),
            .predictedConcentration(ConcentrationEntry(time: time, nanogramsPerMillilitre: .infinity)),
        ]
        let report = SessionReport(records)
        #expect(report.vitals.first?.value == nil)
        #expect(report.predictedConcentrations.first?.details["nonFiniteValue"] == "inf")
        _ = try report.json()

        let message = try #require(HL7Exporter().observationMessages(for: records).first)
        let metric = try #require(ParsedHL7(message).observations.first { ParsedHL7.field($0, 4) == "1.2.1.1" })
        #expect(ParsedHL7.field(metric, 5) == "")
        #expect(ParsedHL7.field(metric, 8) == "NAV")

        let bundle = FHIRExporter().bundle(for: records).text()
        #expect(bundle.contains("dataAbsentReason"))
        #expect(!bundle.contains("nan"))
    }
}
