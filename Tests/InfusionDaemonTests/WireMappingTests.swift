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
        let states: [SessionState] = [.idle, .intake, .programmed, .infusing, .paused, .complete, .recovery, .dischargeReady, .discharged]
        #expect(states.map { WireNames.wire($0).rawValue } == states.map(\.rawValue))
        #expect(Set(states.map(WireNames.wire)) == Set(WireSessionState.allCases))
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
