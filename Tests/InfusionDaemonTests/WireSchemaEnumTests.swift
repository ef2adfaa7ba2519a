import Foundation
import InfusionCore
@testable import InfusionDaemon
import Testing
import WireProtocol

/// The closed sets of names in docs/protocol-v2.schema.json are the Swift types' names: a case added,
/// renamed or removed in the code fails here before any client meets it on the wire.
@Suite struct WireSchemaEnumTests {
    /// Each `$defs` entry's `enum`, by name.
    static let enums: [String: Set<String>] = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let data = (try? Data(contentsOf: url.appendingPathComponent("docs/protocol-v2.schema.json"))) ?? Data()
        let schema = ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any]) ?? [:]
        let defs = schema["$defs"] as? [String: Any] ?? [:]
        return defs.compactMapValues { (($0 as? [String: Any])?["enum"] as? [String]).map(Set.init) }
    }()

    static func names(_ definition: String) -> Set<String> { enums[definition] ?? [] }

    /// Definitions whose names are exactly a `CaseIterable` type's raw values.
    static let exact: [(String, Set<String>)] = [
        ("commandName", Set(CommandName.allCases.map(\.rawValue))),
        ("eventName", Set(EventName.allCases.map(\.rawValue)).union(ConnectionEvent.all)),
        ("topic", Set(Topic.allCases.map(\.rawValue))),
        ("role", Set(Role.allCases.map(\.rawValue))),
        ("alarmCondition", Set(AlarmCondition.allCases.map(\.rawValue))),
        ("alarmPriority", Set(AlarmPriority.allCases.map(\.name))),
        ("vitalParameter", Set(VitalParameter.allCases.map(\.rawValue))),
        ("vitalSource", Set(VitalSource.allCases.map(\.rawValue))),
        ("vitalUnit", Set(VitalParameter.allCases.map(\.unit.ucum))),
        ("vitalFlag", Set(VitalSignFlags.named.map(\.name))),
        ("doseRateUnit", Set(DoseRateUnit.allCases.map(\.rawValue))),
        ("weightUnit", Set(WeightUnit.allCases.map(\.rawValue))),
        ("pumpFailureReason", Set(PumpCommandFailure.Reason.allCases.map(\.rawValue))),
        ("deliveryUncertaintyReason", Set(DeliveryUncertainty.Reason.allCases.map(\.rawValue))),
        ("pumpAlarm", Set(PumpAlarm.allCases.map(\.rawValue))),
        ("dischargeCriterionKind", Set(MissingDischargeCriterion.Kind.allCases.map(\.rawValue))),
        // The chair object's own wire types (WireProtocol/ChairStatus.swift) name the same sets.
        ("sessionState", Set(WireSessionState.allCases.map(\.rawValue))),
        ("alarmPriority", Set(WireAlarmPriority.allCases.map(\.rawValue))),
        ("alarmCategory", Set(WireAlarmCategory.allCases.map(\.rawValue))),
        ("alarmCondition", Set(WireAlarmCondition.allCases.map(\.rawValue))),
        ("weightUnit", Set(WireWeightUnit.allCases.map(\.rawValue))),
        ("doseRateUnit", Set(WireDoseRateUnit.allCases.map(\.rawValue))),
        ("deliveryUncertaintyReason", Set(WireDeliveryUncertainty.allCases.map(\.rawValue))),
        ("dischargeCriterionKind", Set(WireMissingCriterion.Kind.allCases.map(\.rawValue))),
        // Medications and intake screening (issue 18 items 5 and 6), core and wire.
        ("medicationRoute", Set(MedicationRoute.allCases.map(\.rawValue))),
        ("medicationRoute", Set(WireMedicationRoute.allCases.map(\.rawValue))),
        ("medicationDoseUnit", Set(MedicationDoseUnit.allCases.map(\.rawValue))),
        ("medicationDoseUnit", Set(WireMedicationDoseUnit.allCases.map(\.rawValue))),
        ("contraindication", Set(Contraindication.allCases.map(\.rawValue))),
        ("contraindication", Set(WireContraindication.allCases.map(\.rawValue))),
        ("screeningMethod", Set(WireScreeningMethod.allCases.map(\.rawValue))),
    ]

    @Test(arguments: exact.indices)
    func namesAreTheSwiftCases(_ index: Int) {
        let (definition, swift) = Self.exact[index]
        let schema = Self.names(definition)
        #expect(!schema.isEmpty, "$defs.\(definition).enum")
        #expect(schema == swift, "\(definition): schema only \(schema.subtracting(swift).sorted()), Swift only \(swift.subtracting(schema).sorted())")
    }

    /// Types that are not `CaseIterable`: every name in the schema decodes as the type, and every case
    /// the tests know of encodes to a name in the schema.
    @Test func namesDecodeAsTheSwiftTypes() throws {
        func check<T: Codable>(_ definition: String, _ type: T.Type, known: [T]) throws {
            let schema = Self.names(definition)
            #expect(!schema.isEmpty, "$defs.\(definition).enum")
            for name in schema {
                #expect(throws: Never.self, "\(definition): '\(name)' is not a \(T.self)") {
                    _ = try JSONDecoder().decode(T.self, from: Data("\"\(name)\"".utf8))
                }
            }
            for value in known {
                let encoded = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
                #expect(schema.contains(String(encoded.dropFirst().dropLast())), "\(definition): \(encoded) is not in the schema")
            }
        }
        try check("sessionState", SessionState.self, known: [.idle, .intake, .programmed, .infusing, .paused, .complete, .recovery, .dischargeReady, .discharged])
        try check("alarmCategory", AlarmCategory.self, known: [.physiological, .technical])
        try check("alarmTransition", AlarmTransition.self, known: [.raised, .escalated, .deescalated, .latched, .acknowledged, .cleared])
        try check("limitKind", LimitKind.self, known: [.doseRate, .absoluteDoseRate, .flowRate, .sessionDose, .absoluteSessionDose, .bolus, .weight, .predictedConcentration, .concentration, .titrationStep, .titrationInterval, .sessionInterval, .sessionsInWindow, .weightChange])
        try check("limitOutcome", LimitOutcome.self, known: [.hardRefused, .softRefused, .softOverridden])
        try check("limitSide", LimitSide.self, known: [.above, .below])
        try check("pumpRunState", PumpRunState.self, known: [.infusing, .paused, .stopped, .alarmed, .unknown])
        try check("interlockKind", InterlockEvent.Kind.self, known: [.paused, .awaitingConfirmingReading, .awaitingConfirmingReadingEnded])
        try check("bolusKind", BolusEvent.Kind.self, known: [.started, .finished, .cancelled])
        try check("restartKind", RestartEvent.Kind.self, known: [.restored, .reconciled])
        try check("deviceRole", DeviceRole.self, known: [.pump, .monitor])
        try check("observationPhase", ObservationRule.Phase.self, known: [.beforeInfusion, .infusion, .afterInfusion])
    }

    /// Adding a case to one of these types breaks a switch here at compile time, so the `known` lists above
    /// are completed with it.
    static func exhaustive(
        _ a: SessionState, _ b: AlarmCategory, _ c: AlarmTransition, _ d: LimitKind, _ e: LimitOutcome, _ f: LimitSide,
        _ g: PumpRunState, _ h: InterlockEvent.Kind, _ i: BolusEvent.Kind, _ j: RestartEvent.Kind, _ k: DeviceRole, _ l: PumpCommand,
        _ m: ObservationRule.Phase
    ) {
        switch a { case .idle, .intake, .programmed, .infusing, .paused, .complete, .recovery, .dischargeReady, .discharged: break }
        switch b { case .physiological, .technical: break }
        switch c { case .raised, .escalated, .deescalated, .latched, .acknowledged, .cleared: break }
        switch d {
        case .doseRate, .absoluteDoseRate, .flowRate, .sessionDose, .absoluteSessionDose, .bolus, .weight, .predictedConcentration,
            .concentration, .titrationStep, .titrationInterval, .sessionInterval, .sessionsInWindow, .weightChange:
            break
        }
        switch e { case .hardRefused, .softRefused, .softOverridden: break }
        switch f { case .above, .below: break }
        switch g { case .infusing, .paused, .stopped, .alarmed, .unknown: break }
        switch h { case .paused, .awaitingConfirmingReading, .awaitingConfirmingReadingEnded: break }
        switch i { case .started, .finished, .cancelled: break }
        switch j { case .restored, .reconciled: break }
        switch k { case .pump, .monitor: break }
        switch l { case .setRate, .start, .pause, .stop, .clearVolume, .setSyringe, .setTarget: break }
        switch m { case .beforeInfusion, .infusion, .afterInfusion: break }
    }

    /// `pump.command`'s names are the ones `DeviceWire.command` writes for every `PumpCommand`.
    @Test func pumpCommandNames() {
        let commands: [PumpCommand] = [.setRate(MillilitresPerHour(1)), .start, .pause, .stop, .clearVolume, .setSyringe(diameterMillimetres: 19), .setTarget(infusedMillilitres: 2)]
        #expect(Set(commands.map { DeviceWire.command($0).command.rawValue }) == Self.names("pumpCommandName"))
    }
}
