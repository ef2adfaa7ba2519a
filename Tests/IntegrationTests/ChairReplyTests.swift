import Foundation
import Testing

/// A chair command's reply is the chair as the command left it, and a chair rebuilt after a restart is shown
/// whole from the first moment (issue 19; docs/PROTOCOL.md "Chair commands").
@Suite("Chair replies") struct ChairReplyTests {
    static let core = #"{"requireBaselineBloodPressure":false,"recovery":{"minimumObservationSeconds":1}}"#
    static let devices = #"{"pollSeconds":0.5,"linkLostSeconds":2,"reopenSeconds":0.5}"#

    static func chairStatus(_ client: LineClient) throws -> [String: Any] {
        (try client.request(#"{"cmd":"status"}"#).result["chairs"] as? [[String: Any]])?.first ?? [:]
    }

    @Test func aReprogramRepliesWithTheNewProgramAndARateFormProgramWithoutADose() throws {
        let chair = try SimulatedChair(monitorProtocol: "masimo", preset: "typical", timeScale: 1, coreConfiguration: Self.core)
        let client = try chair.client()
        try chair.admitAndProgram(client)
        let again = try client.request(
            #"{"cmd":"program","chair":"1","concentration":10,"syringeVolume":50,"totalDose":0.4,"durationMinutes":40}"#)
        #expect(again.ok, "\(again)")
        #expect(again.result["programmedMilligrams"] as? Double == 28, "0.4 mg/kg at 70 kg, not the first program's 35 mg")
        #expect(try Self.chairStatus(client)["programmedMilligrams"] as? Double == 28)
        let rateForm = try client.request(
            #"{"cmd":"program","chair":"1","concentration":10,"syringeVolume":50,"rate":{"value":0.5,"unit":"mg/kg/h"}}"#)
        #expect(rateForm.ok, "\(rateForm)")
        #expect(rateForm.result["programmedMilligrams"] == nil, "a program without a total dose has none: \(rateForm.result)")
        #expect(rateForm.result["concentrationMilligramsPerMillilitre"] as? Double == 10)
    }

    @Test func aNewPatientsIntakeRepliesWithNothingDelivered() throws {
        let chair = try SimulatedChair(
            monitorProtocol: "masimo", preset: "typical", timeScale: 1, pumpProtocol: "harvard", pumpTimeScale: 60,
            coreConfiguration: Self.core, devicesConfiguration: Self.devices)
        let client = try chair.client()
        // Both links up before the first intake, so no link alarm is left latched at discharge.
        let linksUp = Date().addingTimeInterval(30)
        while (try Self.chairStatus(client)["vitals"] as? [Any])?.isEmpty != false, Date() < linksUp { usleep(200_000) }
        let intake = { (patient: String) in
            #"{"cmd":"intake","chair":"1","patientID":"\#(patient)","weight":70,"weightUnit":"kg","weightBasis":"measured","profileID":"ketamine-psychiatric","checklistSigned":true,"checklistSignedBy":"RN Lee"}"#
        }
        #expect(try client.request(intake("P-A")).ok)
        #expect(try client.request(
            #"{"cmd":"program","chair":"1","concentration":10,"syringeVolume":50,"totalDose":0.05,"durationMinutes":4}"#).ok)
        let deadline = Date().addingTimeInterval(60)
        while try Self.chairStatus(client)["state"] as? String != "complete" {
            let started = try client.request(#"{"cmd":"start","chair":"1"}"#)
            if !started.ok, !["pump-link-down", "monitor-link-down", "vitals-stale", "syringe-not-confirmed", "wrong-state"]
                .contains(started.errorCode ?? "") { Issue.record("start: \(started)"); return }
            guard Date() < deadline else { throw Failure("no complete session: \(try Self.chairStatus(client))") }
            usleep(300_000)
        }
        #expect((try Self.chairStatus(client)["deliveredMilligrams"] as? Double ?? 0) > 3)
        let aldrete = #"{"activity":2,"respiration":2,"circulation":2,"consciousness":2,"oxygenSaturation":2}"#
        #expect(try client.request(#"{"cmd":"recovery","chair":"1","aldrete":\#(aldrete)}"#).ok)
        #expect(try client.request(#"{"cmd":"observe","chair":"1","scores":{"moaas":5,"nausea":0}}"#).ok)
        while try Self.chairStatus(client)["state"] as? String != "dischargeReady" {
            guard Date() < deadline else { throw Failure("not discharge-ready: \(try Self.chairStatus(client))") }
            usleep(200_000)
        }
        #expect(try client.request(#"{"cmd":"discharge","chair":"1"}"#).ok)
        let next = try client.request(intake("P-B"))
        #expect(next.ok, "\(next)")
        #expect(next.result["deliveredMilligrams"] as? Double == 0, "the next patient's ledger: \(next.result)")
        #expect(try Self.chairStatus(client)["deliveredMilligrams"] as? Double == 0)
    }

    @Test func aChairRebuiltAfterASigkillShowsItsWholeSessionAtOnce() throws {
        let (chair, client) = try SimulatedChair.infusingOnOximeter()
        client.close()
        try chair.restartDaemon(after: SIGKILL)
        let after = try chair.client()
        let shown = try Self.chairStatus(after)
        #expect(shown["state"] as? String == "paused")
        #expect(shown["profileID"] as? String == "ketamine-psychiatric")
        #expect(shown["drugName"] as? String != nil)
        #expect(shown["weightKilograms"] as? Double == 70)
        #expect(shown["concentrationMilligramsPerMillilitre"] as? Double == 10)
        #expect(shown["programmedMilligrams"] as? Double == 35)
    }
}
