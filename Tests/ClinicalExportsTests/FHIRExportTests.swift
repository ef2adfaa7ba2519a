import ClinicalExports
import Foundation
import Testing

@Suite struct FHIRExportTests {
    let bundle = FHIRExporter().bundle(for: ExportFixtures.session)

    var resources: [[String: Any]] {
        get throws {
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(bundle.text().utf8)) as? [String: Any])
            let entries = try #require(object["entry"] as? [[String: Any]])
            return try entries.map { try #require($0["resource"] as? [String: Any]) }
        }
    }

    @Test func bundleIsACollectionOfTheExpectedResources() throws {
        #expect(bundle["resourceType"] == .string("Bundle"))
        #expect(bundle["type"] == .string("collection"))
        let types = try resources.map { $0["resourceType"] as? String ?? "" }
        // Patient, two Devices, weight, 5 readings at 5 s, 1 BP panel, 1 reading without value, the administration.
        #expect(
            types == ["Patient", "Device", "Device"] + Array(repeating: "Observation", count: 8) + [
                "MedicationAdministration"
            ])
    }

    @Test func everyReferenceResolvesToAnEntryOfTheBundle() throws {
        let text = bundle.text()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let entries = try #require(object["entry"] as? [[String: Any]])
        let fullUrls = Set(entries.compactMap { $0["fullUrl"] as? String })
        #expect(fullUrls.count == entries.count)
        #expect(fullUrls.allSatisfy { $0.hasPrefix("urn:uuid:") })
        let references = text.components(separatedBy: "\"reference\": \"").dropFirst().map {
            String($0.prefix { $0 != "\"" })
        }
        #expect(references.count > 10)
        #expect(references.allSatisfy(fullUrls.contains))
    }

    @Test func devicesNameVendorModelSerialAndTheirMDSCode() throws {
        let devices = try resources.filter { $0["resourceType"] as? String == "Device" }
        #expect(devices.map { $0["serialNumber"] as? String } == ["A1|B^2", "RX7-001"])
        #expect(devices.map { $0["manufacturer"] as? String } == ["New Era", "Masimo"])
        let types = devices.map {
            (($0["type"] as? [String: Any])?["coding"] as? [[String: Any]])?.first?["code"] as? String
        }
        #expect(types == ["69985", "69965"])
        let monitorIdentifiers = try #require(devices.last?["identifier"] as? [[String: Any]])
        #expect(monitorIdentifiers.map { $0["value"] as? String } == ["RX7-001", "0123456789ABCDEF"])
    }

    @Test func patientIsAnIdentifierOnly() throws {
        let patient = try #require(try resources.first)
        #expect(Set(patient.keys) == ["resourceType", "id", "identifier"])
        let identifier = try #require((patient["identifier"] as? [[String: Any]])?.first)
        #expect(identifier["value"] as? String == "MRN^1|2~3\\4&5")
    }

    @Test func observationsCarryLOINCAndMDCCodings() throws {
        let observations = try resources.filter { $0["resourceType"] as? String == "Observation" }
        func codes(_ observation: [String: Any]) -> [String] {
            ((observation["code"] as? [String: Any])?["coding"] as? [[String: Any]] ?? []).compactMap {
                $0["code"] as? String
            }
        }
        let spo2 = try #require(observations.first { codes($0).contains("150456") && $0["valueQuantity"] != nil })
        #expect(codes(spo2) == ["59408-5", "2708-6", "150456"])
        let quantity = try #require(spo2["valueQuantity"] as? [String: Any])
        #expect(quantity["value"] as? Double == 97)
        #expect(quantity["code"] as? String == "%")
        #expect(quantity["system"] as? String == "http://unitsofmeasure.org")

        let panel = try #require(observations.first { codes($0).contains("85354-9") })
        let components = try #require(panel["component"] as? [[String: Any]])
        #expect(components.map(codes) == [["8480-6", "150021"], ["8462-4", "150022"], ["8478-0", "150023"]])

        let absent = try #require(observations.first { $0["dataAbsentReason"] != nil })
        #expect((absent["note"] as? [[String: Any]])?.first?["text"] as? String == "device flags: sensorOff")
        #expect(observations.allSatisfy { $0["status"] as? String == "final" && $0["subject"] != nil })
    }

    @Test func administrationStatesStatusPeriodDoseAndRate() throws {
        let administration = try #require(try resources.last)
        #expect(administration["status"] as? String == "completed")
        let period = try #require(administration["effectivePeriod"] as? [String: Any])
        #expect(period["start"] as? String == "2026-03-14T09:00:00.000Z")
        #expect(period["end"] as? String == "2026-03-14T09:40:00.000Z")
        let dosage = try #require(administration["dosage"] as? [String: Any])
        #expect((dosage["dose"] as? [String: Any])?["value"] as? Double == 25)
        #expect((dosage["rateQuantity"] as? [String: Any])?["code"] as? String == "mg/kg/h")
        #expect((administration["medicationCodeableConcept"] as? [String: Any])?["text"] as? String == "ketamine")
    }

    @Test func aDrugCodeIsCodedAndItsAbsenceLeavesNoEmptyArray() throws {
        let uncoded = try #require(
            bundle["entry"].flatMap { entries -> OrderedJSON? in
                if case .array(let items) = entries { return items.last?["resource"] }
                return nil
            })
        #expect(uncoded["medicationCodeableConcept"] == .object([("text", .string("ketamine"))]))
        var records = ExportFixtures.session
        records.program.drugCode = CodedConcept(system: "urn:example:drugs", code: "K1", display: "ketamine")
        let coded = FHIRExporter().bundle(for: records).text()
        #expect(coded.contains(#""system": "urn:example:drugs""#))
    }

    @Test func theSameRecordsGiveTheSameBundle() {
        #expect(FHIRExporter().bundle(for: ExportFixtures.session).text() == bundle.text())
        var other = ExportFixtures.session
        other.sessionID = "S-2026-0002"
        #expect(FHIRExporter().bundle(for: other).text() != bundle.text())
    }
}
