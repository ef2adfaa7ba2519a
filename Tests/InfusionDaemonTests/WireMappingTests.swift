import InfusionCore
@testable import InfusionDaemon
import Testing
import WireProtocol

/// The core-to-wire mapping (ChairSnapshot+Wire.swift): every core name has its wire name, spelled as the
/// protocol documents it, and every wire name is used.
struct WireMappingTests {
    @Test func everyClosedSetMapsOneToOneWithTheDocumentedSpelling() {
        #expect(AlarmCondition.allCases.map { WireNames.wire($0).rawValue } == AlarmCondition.allCases.map(\.rawValue))
        #expect(Set(AlarmCondition.allCases.map(WireNames.wire)) == Set(WireAlarmCondition.allCases))
        #expect(AlarmPriority.allCases.map { WireNames.wire($0).rawValue } == AlarmPriority.allCases.map(\.name))
        #expect(Set(AlarmPriority.allCases.map(WireNames.wire)) == Set(WireAlarmPriority.allCases))
        #expect(DoseRateUnit.allCases.map { WireNames.wire($0).rawValue } == DoseRateUnit.allCases.map(\.rawValue))
        #expect(WeightUnit.allCases.map { WireNames.wire($0).rawValue } == WeightUnit.allCases.map(\.rawValue))
        #expect(DeliveryUncertainty.Reason.allCases.map { WireNames.wire($0).rawValue }
            == DeliveryUncertainty.Reason.allCases.map(\.rawValue))
        #expect(Set(DeliveryUncertainty.Reason.allCases.map(WireNames.wire)) == Set(WireDeliveryUncertainty.allCases))
        #expect(MissingDischargeCriterion.Kind.allCases.map { WireNames.wire($0).rawValue }
            == MissingDischargeCriterion.Kind.allCases.map(\.rawValue))
        #expect(VitalParameter.allCases.map { DeviceWire.parameter($0).rawValue } == VitalParameter.allCases.map(\.rawValue))
        #expect(Set(VitalParameter.allCases.map(DeviceWire.parameter)) == Set(WireVitalParameter.allCases))
        #expect(PumpAlarm.allCases.map { DeviceWire.alarm($0).rawValue } == PumpAlarm.allCases.map(\.rawValue))
        #expect(VitalSignFlags.named.map(\.name) == WireVitalFlag.allCases.map(\.rawValue), "every flag has its wire name")
        let states: [SessionState] = [.idle, .intake, .programmed, .infusing, .paused, .complete, .recovery, .dischargeReady, .discharged]
        #expect(states.map { WireNames.wire($0).rawValue } == states.map(\.rawValue))
        #expect(Set(states.map(WireNames.wire)) == Set(WireSessionState.allCases))
    }

    @Test func deviceRecordsKeepTheirDocumentedShape() {
        let clock = WallClockAnchor(monotonic: .seconds(10), epochMilliseconds: 1_796_601_600_000)
        let readback = PumpObservation(
            state: .infusing, rateMillilitresPerHour: 5.25, infusedMillilitres: 1.2, alarms: [.stall, .occlusion],
            time: .seconds(10), syringeDiameterMillimetres: 26.59, rateRangeMillilitresPerHour: 0.1...100)
        let line = String(decoding: LineCoding.encodedData(DeviceWire.readback(readback, clock: clock)), as: UTF8.self)
        #expect(line == #"{"alarms":["occlusion","stall"],"infusedMillilitres":1.2,"rateMillilitresPerHour":5.25,"rateRangeMillilitresPerHour":[0.1,100],"state":"infusing","syringeDiameterMillimetres":26.59,"time":"2026-12-07T00:00:00.000Z"}"#)
        let failure = PumpCommandFailure(command: .setRate(MillilitresPerHour(3.5)), reason: .notConfirmed, message: "no valid reply")
        #expect(String(decoding: LineCoding.encodedData(DeviceWire.failure(failure)), as: UTF8.self)
            == #"{"command":{"command":"set-rate","rateMillilitresPerHour":3.5},"message":"no valid reply","reason":"not-confirmed"}"#)
        let vital = VitalSign(parameter: .spo2, value: 97, time: .seconds(9.5), flags: [.lowPerfusion])
        #expect(String(decoding: LineCoding.encodedData(DeviceWire.vital(vital, clock: clock)), as: UTF8.self)
            == #"{"flags":["lowPerfusion"],"parameter":"spo2","time":"2026-12-06T23:59:59.500Z","value":97}"#)
    }

    @Test func aChairStatusEncodesWallClockTimesAndDecodesBack() throws {
        var snapshot = ChairSnapshot(id: "1")
        snapshot.record(VitalSign(parameter: .spo2, value: 97, time: .seconds(100), flags: []))
        let clock = WallClockAnchor(monotonic: .seconds(110), epochMilliseconds: 1_796_601_600_000)
        let status = snapshot.status(at: .seconds(110), freshness: VitalFreshness(CoreConfiguration()), clock: clock)
        let line = String(decoding: LineCoding.encodedData(status), as: UTF8.self)
        #expect(line.contains(#""time":"2026-12-07T00:00:00.000Z""#), "\(line)")
        #expect(line.contains(#""measuredAt":"2026-12-06T23:59:50.000Z""#), "\(line)")
        #expect(line.contains(#""state":"idle""#) && !line.contains("nanoseconds"))
        let decoded = try LineCoding.decode(ChairStatus.self, from: Array(line.utf8))
        #expect(decoded == status, "infusionctl reads back exactly what the daemon wrote")
    }
}
