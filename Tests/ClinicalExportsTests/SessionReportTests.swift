import ClinicalExports
import Foundation
import InfusionCore
import Testing

@Suite struct SessionReportTests {
    @Test func recordSetRoundTripsThroughJSONWithKindTags() throws {
        let records = ExportFixtures.session
        let data = try JSONEncoder().encode(records)
        #expect(try JSONDecoder().decode(SessionRecordSet.self, from: data) == records)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""kind":"pump-readback""#))
    }

    @Test func unknownEntryKindIsRejected() {
        let json = #"{"kind":"teleport","time":0}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SessionEntry.self, from: Data(json.utf8)) }
    }

    @Test func reportGroupsEveryEntryByKindInTimeOrder() throws {
        let report = SessionReport(ExportFixtures.session)
        #expect(report.format == "infusiond-session-report")
        #expect(report.rateChanges.count == 2)
        #expect(report.limitEvents.map(\.status) == ["softOverridden", "hardRefused"])
        #expect(report.limitEvents.map(\.subject) == ["doseRate", "doseRate"])
        #expect(report.limitEvents[0].unit == "mg/kg/h")
        #expect(report.limitEvents[0].details == ["limitValue": "0.75", "side": "above"])
        #expect(report.limitEvents[0].reason == "clinician judgement: \"tolerating well\"")
        #expect(report.pumpCommands.map(\.subject) == ["set-rate", "start"])
        #expect(report.pumpReadBacks.count == 2)
        #expect(report.alarms.map(\.status) == ["raised", "acknowledged", "cleared", "raised"])
        #expect(report.alarms[0].details["mdcEvent"] == "196670")
        #expect(report.vitals.count == 9)
        #expect(report.vitals.last?.status == "invalid")
        #expect(report.predictedConcentrations.first?.value == 150.25)
        #expect(report.recoveries.first?.status == "pump-stopped")
        #expect(report.recoveries.first?.details["recordedDoseMg"] == "20.1")
        #expect(report.discharges.first?.actorUID == 1000)
        #expect(report.delivered.doseMg == 25)
        #expect(report.program.doseRateUnit == "mg/kg/h")
        #expect(report.session.infusionStartedAt == "2026-03-14T09:00:00.000Z")
        #expect(report.timeline.map(\.timeMs) == report.timeline.map(\.timeMs).sorted())
        #expect(report.timeline.count == ExportFixtures.session.entries.count)
    }

    @Test func reportJSONHasStableFieldNamesAndDecodesBack() throws {
        let report = SessionReport(ExportFixtures.session)
        let json = try report.json()
        #expect(json == (try SessionReport(ExportFixtures.session).json()))
        for field in [
            #""rateChanges""#, #""limitEvents""#, #""vitals""#, #""predictedConcentrations""#,
            #""concentrationMgPerMl""#, #""timeMs""#,
        ] {
            #expect(json.contains(field), "missing \(field)")
        }
        #expect(!json.contains(#""timeline""#))
        #expect(json.contains(#""sequence" : 0"#))
        let decoded = try JSONDecoder().decode(SessionReport.self, from: Data(json.utf8))
        #expect(decoded == report)
    }

    @Test func csvIsOneQuotedTimelineWithAHeader() {
        let records = ExportFixtures.session
        let csv = SessionReport(records).csv()
        #expect(csv.hasSuffix("\r\n"))
        let lines = csv.components(separatedBy: "\r\n").dropLast()
        #expect(lines.first == "kind,time,time_ms,subject,value,unit,status,actor_uid,actor_role,reason,details")
        #expect(lines.count == records.entries.count + 1)
        #expect(
            lines[1]
                == "rate-change,2026-03-14T09:00:00.000Z,1773478800000,flow,17.5,mL/h,,1000,clinician,\"start, per protocol\",doseRate=0.5;doseRateUnit=mg/kg/h"
        )
        #expect(csv.contains(#","clinician judgement: ""tolerating well""","#))
        let vital = lines.first { $0.hasPrefix("vital,") && $0.contains("MDC_PULS_OXIM_PULS_RATE") }
        #expect(
            vital
                == "vital,2026-03-14T09:00:05.000Z,1773478805000,MDC_PULS_OXIM_PULS_RATE,72,/min,valid,,,,mdcCode=149530;mdcUnitCode=264864"
        )
    }
}

@Suite struct SessionExportsTests {
    @Test func oneCallMakesEveryFormat() throws {
        let records = ExportFixtures.session
        let exports = try SessionExports(records)
        #expect(exports.text(.json) == (try SessionReport(records).json()))
        #expect(exports.text(.csv) == SessionReport(records).csv())
        #expect(exports.text(.fhir) == FHIRExporter().bundle(for: records).text())
        let hl7 = exports.text(.hl7)
        #expect(
            hl7.components(separatedBy: "MSH|").count - 1 == exports.hl7Observations.count + exports.hl7Alarms.count)
        #expect(hl7.hasPrefix("MSH|^~\\&|") && hl7.hasSuffix("\r"))
    }
}
