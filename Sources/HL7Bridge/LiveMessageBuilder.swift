package import ClinicalExports
package import InfusionCore

/// Builds the live IHE PCD messages of one chair from its folded state: PCD-01 `ORU^R01` (observations),
/// PCD-04 `ORU^R40` (alarm transitions) and PCD-10 `ORU^R42` (infusion events). The segment grammar, MDC
/// terms, containment and escaping are the session exports' (ClinicalExports, docs/EXPORTS.md); what is
/// live-only (the envelope for a session still running, IPEC) is here. docs/INTEGRATION.md shows examples.
package struct LiveMessageBuilder: Sendable {
    package var configuration: HL7Configuration
    /// Names this bridge (the host): in MSH-10 and in the equipment identifiers.
    package var sourceName: String

    package init(configuration: HL7Configuration, sourceName: String) {
        self.configuration = configuration
        self.sourceName = sourceName
    }

    /// MSH-10 of the message of `kind` tied to event `seq`: deterministic, so a message sent again after a
    /// restart carries the same id. One event gives at most one message of each kind.
    package func controlID(seq: UInt64, kind: OutboundMessage.Kind) -> String {
        "\(sourceName).\(seq).\(kind.rawValue)"
    }

    // MARK: Envelope

    private func header(_ type: [String], _ profile: [String], controlID: String, time: UTCInstant) -> HL7Segment {
        HL7Envelope.header(configuration: configuration, type: type, controlID: controlID, time: time, profile: profile)
    }

    /// PID: the patient's identifier under the clinic's authority when infusiond publishes it; until then the
    /// infusiond session (host, chair, intake `seq`) as a visit number under the sending application, which
    /// the engine binds to its patient by location and time (docs/INTEGRATION.md "Patient identity").
    private func patient(chair: String, _ state: ChairState) -> HL7Segment {
        let identifier: String
        if let patientID = state.outline.patientID, !patientID.isEmpty, state.hasSession {
            identifier = HL7Text.components(patientID, nil, nil, configuration.patientIdentifierAuthority, "MR")
        } else {
            identifier = HL7Text.components(
                sessionIdentifier(chair: chair, state), nil, nil, configuration.sendingApplication, "VN")
        }
        return HL7Segment("PID", [3: identifier, 5: "^^^^^^U"])
    }

    /// The infusiond session a message belongs to: `<source>-<chair>-<intake seq>`, or `-none` without a patient.
    package func sessionIdentifier(chair: String, _ state: ChairState) -> String {
        guard state.hasSession, let intake = state.intakeSeq else { return "\(sourceName)-\(chair)-none" }
        return "\(sourceName)-\(chair)-\(intake)"
    }

    private func visit(chair: String) -> HL7Segment {
        HL7Segment("PV1", [2: "O", 3: HL7Text.components(configuration.pointOfCare, chair)])
    }

    /// OBX-18 for a chair's device (docs/INTEGRATION.md "Equipment identifiers"): its serial number under the
    /// namespace of its maker and model (`<serial>^<vendor> <model>`) where infusiond knows it; otherwise the
    /// chair role under this host, `chair-<id>-<role>^<application> <source>`.
    package func equipment(chair: String, _ role: DeviceRole, _ state: ChairState) -> String {
        if let device = state.devices?[role.rawValue], let serial = device.serial, !serial.isEmpty {
            let namespace = [device.vendor, device.model].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return HL7Text.components(serial, namespace.isEmpty ? "\(configuration.sendingApplication) \(sourceName)" : namespace)
        }
        return HL7Text.components("chair-\(chair)-\(role.rawValue)", "\(configuration.sendingApplication) \(sourceName)")
    }

    private static func numbered(_ rows: [HL7Segment]) -> [HL7Segment] {
        rows.enumerated().map { offset, row in
            var row = row
            row.fields[1] = "\(offset + 1)"
            return row
        }
    }

    // MARK: PCD-01

    /// One `ORU^R01` for a chair: the monitor (MDS 1) with each parameter's newest reading not sent before,
    /// the pump (MDS 2) with its state, flow, dose rate, concentration, VTBI, volume delivered and drug, and
    /// the nurse's scores not sent before. Nil when there is nothing to report.
    package func observation(
        chair: String, state: ChairState, readings: [DaemonEvent.VitalReading],
        scores: [(scale: String, score: ChairState.Score)] = [], seq: UInt64, time: UTCInstant
    ) -> OutboundMessage? {
        var rows: [HL7Segment] = []
        let entries = readings.map { VitalEntry(time: $0.time, parameter: $0.parameter, value: $0.value, flags: $0.flags) }
        if let vitalRows = PCD01Builder.vitalRows(entries, equipment: equipment(chair: chair, .monitor, state)) {
            rows += vitalRows
        }
        rows += pumpRows(chair: chair, state: state, mds: 2, flow: state.knownFlow,
            doseRate: state.doseRate.map { ($0, state.doseRateUnit ?? state.outline.doseRateUnit ?? .millilitresPerHour) },
            time: state.deliveryTime ?? time)
        rows += scores.enumerated().map { offset, entry in Self.scoreRow(entry.scale, entry.score, number: offset + 1) }
        guard !rows.isEmpty else { return nil }
        let id = controlID(seq: seq, kind: .observation)
        let order = HL7Segment(
            "OBR",
            [
                1: "1", 2: HL7Text.components(sessionIdentifier(chair: chair, state), configuration.sendingApplication),
                3: HL7Text.components(id, configuration.sendingApplication), 4: PCD01Builder.service, 7: time.hl7,
            ])
        let text = HL7Segment.message(
            [header(PCD01Builder.messageType, PCD01Builder.profile, controlID: id, time: time),
             patient(chair: chair, state), visit(chair: chair), order] + Self.numbered(rows))
        return OutboundMessage(kind: .observation, seq: seq, chair: chair, controlID: id, text: text)
    }

    /// A nurse's score (docs/INTEGRATION.md "Observation scores"): not a device's measurement, so outside the
    /// 11073 containment (sub-id `0.0.0.n`), under infusiond's local code for its scale, with no equipment, the
    /// nurse as the responsible observer (OBX-16) and result status F (entered by a person, final).
    static func scoreRow(_ scale: String, _ score: ChairState.Score, number: Int) -> HL7Segment {
        HL7Segment(
            "OBX",
            [
                2: "NM", 3: BridgeNomenclature.scoreCode(scale), 4: "0.0.0.\(number)", 5: "\(score.value)",
                6: BridgeNomenclature.scoreUnit, 11: "F", 14: score.time.hl7, 16: HL7Text.escape(score.operatorID),
            ])
    }

    /// The pump's rows under MDS number `mds`: MDS, VMD, then metrics 1…7 of channel 1 (fixed numbers, so an
    /// address keeps its meaning when a value is absent). Empty before a program names the drug.
    private func pumpRows(
        chair: String, state: ChairState, mds: Int, flow: Double?, doseRate: (Double, DoseRateUnit)?, time: UTCInstant
    ) -> [HL7Segment] {
        guard let concentration = state.outline.concentration else { return [] }
        let equipment = equipment(chair: chair, .pump, state)
        let infusing = state.state == .infusing && (flow ?? 0) > 0
        var rows = [
            PCD01Builder.deviceRow(Nomenclature.pumpMDS, ContainmentAddress(mds, 0, 0, 0), equipment, nil),
            PCD01Builder.deviceRow(Nomenclature.pumpVMD, ContainmentAddress(mds, 1, 0, 0), equipment, nil),
            HL7Segment(
                "OBX",
                [
                    2: "CWE", 3: HL7Text.mdc(Nomenclature.infusingStatus), 4: ContainmentAddress(mds, 1, 1, 1).text,
                    5: HL7Text.components(nil, infusing ? "pump-status-infusing" : "pump-status-not-infusing"),
                    11: "R", 14: time.hl7, 18: equipment,
                ]),
        ]
        let metrics: [(term: MDCCode, value: Double?, unit: MDCUnit, required: Bool)] = [
            (Nomenclature.flowRate, flow, Nomenclature.millilitresPerHour, true),
            (Nomenclature.doseRate, doseRate?.0, Nomenclature.unit(of: doseRate?.1 ?? .millilitresPerHour), doseRate != nil),
            (Nomenclature.drugConcentration, concentration, Nomenclature.milligramsPerMillilitre, true),
            (Nomenclature.volumeToBeInfused, state.volumeToBeInfused, Nomenclature.millilitres, false),
            (Nomenclature.volumeDelivered, state.volumeDelivered, Nomenclature.millilitres, false),
        ]
        for (offset, metric) in metrics.enumerated() where metric.value != nil || metric.required {
            // A flow not known (delivery uncertain) is sent without a value, marked NAV: never as 0.
            rows.append(
                PCD01Builder.numericRow(
                    metric.term, ContainmentAddress(mds, 1, 1, offset + 2), metric.value, metric.unit,
                    flag: metric.value == nil ? "NAV" : nil, time: time, equipment: equipment))
        }
        if let drug = state.outline.drugName {
            rows.append(
                HL7Segment(
                    "OBX",
                    [
                        2: "ST", 3: HL7Text.mdc(BridgeNomenclature.drugNameLabel),
                        4: ContainmentAddress(mds, 1, 1, 7).text, 5: HL7Text.escape(drug), 11: "R", 14: time.hl7,
                        18: equipment,
                    ]))
        }
        return rows
    }

    // MARK: PCD-04

    /// One `ORU^R40` for an alarm transition: the session exports' seven ACM facets, OBR-2 naming the alert
    /// instance (chair, condition, raise count) so every transition of one alarm shares it.
    package func alert(chair: String, state: ChairState, change: DaemonEvent.AlarmChange, seq: UInt64) -> OutboundMessage {
        let entry: AlarmTransitionEntry
        if let condition = AlarmCondition(rawValue: change.condition) {
            let source = condition.exportDescriptor.sourceParameter.flatMap { state.vitals[$0.rawValue]?.value }
            entry = AlarmTransitionEntry(
                time: change.time, condition: condition, priority: change.priority, transition: change.transition,
                sourceValue: change.category == .physiological ? source : nil)
        } else {
            entry = AlarmTransitionEntry(
                time: change.time, condition: change.condition, category: change.category, priority: change.priority,
                transition: change.transition, event: nil, device: change.category == .physiological ? .monitor : .pump)
        }
        let id = controlID(seq: seq, kind: .alert)
        let instance = "\(chair)-\(change.condition)-\(max(state.raises[change.condition] ?? 0, 1))"
        let order = HL7Segment(
            "OBR",
            [
                1: "1", 2: HL7Text.components(instance, configuration.sendingApplication),
                3: HL7Text.components(id, configuration.sendingApplication), 4: HL7Text.mdc(Nomenclature.alarmEvent),
                7: change.time.hl7,
            ])
        let text = HL7Segment.message(
            [header(PCD04Builder.messageType, PCD04Builder.profile, controlID: id, time: change.time),
             patient(chair: chair, state), visit(chair: chair), order]
                + PCD04Builder.facets(entry, equipment: equipment(chair: chair, entry.device, state)))
        return OutboundMessage(kind: .alert, seq: seq, chair: chair, controlID: id, text: text)
    }

    // MARK: PCD-10

    /// One `ORU^R42` (IHE PCD IPEC) for an infusion event: the pump MDS with the event condition, then the
    /// delivery's state and numbers after it, and infusiond's own name and reason for the event.
    package func infusionEvent(
        chair: String, state: ChairState, event: InfusionEvent, reason: String, flow: Double?, seq: UInt64,
        time: UTCInstant
    ) -> OutboundMessage {
        let id = controlID(seq: seq, kind: .infusionEvent)
        let equipment = equipment(chair: chair, .pump, state)
        let head: [HL7Segment] = [
            PCD01Builder.deviceRow(Nomenclature.pumpMDS, ContainmentAddress(1, 0, 0, 0), equipment, nil),
            HL7Segment(
                "OBX",
                [
                    2: "CWE", 3: HL7Text.mdc(BridgeNomenclature.eventCondition), 4: ContainmentAddress(1, 0, 0, 1).text,
                    5: HL7Text.mdc(event.ipecEvent), 11: "R", 14: time.hl7, 18: equipment,
                ]),
            HL7Segment(
                "OBX",
                [
                    2: "ST", 3: BridgeNomenclature.localEventKind, 4: ContainmentAddress(1, 0, 0, 2).text,
                    5: event.rawValue, 11: "R", 14: time.hl7,
                ]),
            HL7Segment(
                "OBX",
                [
                    2: "ST", 3: BridgeNomenclature.localEventReason, 4: ContainmentAddress(1, 0, 0, 3).text,
                    5: HL7Text.escape(reason), 11: "R", 14: time.hl7,
                ]),
        ]
        let rows = pumpRows(
            chair: chair, state: state, mds: 1, flow: flow, doseRate: flow.flatMap { state.doseRate(forFlow: $0) },
            time: time)
        let drug = state.outline.drugName.map { HL7Text.components(nil, $0) } ?? PCD01Builder.service
        let order = HL7Segment(
            "OBR",
            [
                1: "1", 2: HL7Text.components(sessionIdentifier(chair: chair, state), configuration.sendingApplication),
                3: HL7Text.components(id, configuration.sendingApplication), 4: drug, 7: time.hl7,
            ])
        // Rows in dictionary order: the MDS and its event rows (1.0.0.x), then the VMD and channel (1.1.x.x).
        let body = head + rows.dropFirst()
        let text = HL7Segment.message(
            [header(BridgeNomenclature.ipecMessageType, BridgeNomenclature.ipecProfile, controlID: id, time: time),
             patient(chair: chair, state), visit(chair: chair), order] + Self.numbered(Array(body)))
        return OutboundMessage(kind: .infusionEvent, seq: seq, chair: chair, controlID: id, text: text)
    }
}
