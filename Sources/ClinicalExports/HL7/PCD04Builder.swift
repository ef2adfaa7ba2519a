package import InfusionCore

/// IHE PCD-04 (Report Alert) messages, HL7 v2.6 ORU^R40: one per alarm transition, each alert a
/// group of OBX "facets" (event, source, phase, state, inactivation state, priority, type)
/// addressed `<MDS>.<VMD>.<CHAN>.<METRIC>.<facet>`.
package struct PCD04Builder {
    package static let messageType = ["ORU", "R40", "ORU_R40"]
    package static let profile = ["IHE_PCD_ACM_001", "IHE PCD", "1.3.6.1.4.1.19376.1.6.4.4.1", "ISO"]

    var envelope: HL7Envelope

    /// Every PCD-04 message of the session, in time order.
    func messages() -> [String] {
        let application = envelope.configuration.sendingApplication
        var raisedCount: [String: Int] = [:]
        var messages: [String] = []
        for entry in envelope.records.timeline {
            guard case .alarm(let alarm) = entry else { continue }
            // One alert instance runs from a raise to the next raise of the same condition, so every
            // transition of it carries the same OBR-2.
            if alarm.transition == .raised { raisedCount[alarm.condition, default: 0] += 1 }
            let instance = "\(alarm.condition)-\(max(raisedCount[alarm.condition] ?? 0, 1))"
            let id = envelope.controlID("R40", messages.count + 1)
            let device = alarm.device == .pump ? envelope.records.pump : envelope.records.monitor
            var alertInstance = [instance, application]
            if let eui = device.eui64, !eui.isEmpty { alertInstance += [eui, "EUI-64"] }
            let order = HL7Segment(
                "OBR",
                [
                    1: "1", 2: alertInstance.map(HL7Text.escape).joined(separator: "^"),
                    3: HL7Text.components(id, application), 4: HL7Text.mdc(Nomenclature.alarmEvent),
                    7: alarm.time.hl7,
                ])
            let header = envelope.header(type: Self.messageType, controlID: id, time: alarm.time, profile: Self.profile)
            messages.append(
                HL7Segment.message([header, envelope.patient, envelope.visit, order] + Self.facets(alarm, equipment: HL7Envelope.equipmentIdentifier(device))))
        }
        return messages
    }

    /// The seven facet rows of one alarm transition, each naming the device by `equipment` (OBX-18).
    package static func facets(_ alarm: AlarmTransitionEntry, equipment: String) -> [HL7Segment] {
        let address = alertAddress(alarm)
        let time = alarm.time.hl7
        func facet(_ number: Int, _ type: String, _ code: String, _ value: String, unit: String? = nil) -> HL7Segment {
            var fields = [
                1: "\(number)", 2: type, 3: code, 4: "\(address).\(number)", 5: value, 11: "F", 14: time, 18: equipment,
            ]
            if let unit { fields[6] = unit }
            return HL7Segment("OBX", fields)
        }
        let text = HL7Text.escape(alarm.condition)
        let physiological = alarm.category == .physiological
        // Facet 1: a physiological alarm with its own event code names it in OBX-3; otherwise the
        // generic MDC_EVT_ALARM carries the specific event (or the condition's name) as its value.
        let event: HL7Segment =
            if physiological, let code = alarm.event {
                facet(1, "ST", HL7Text.mdc(code), text)
            } else {
                facet(1, "CWE", HL7Text.mdc(Nomenclature.alarmEvent), alarm.event.map(HL7Text.mdc) ?? "^" + text)
            }
        // Facet 2: the metric and its value for a physiological alarm, else the device as the source.
        let source: HL7Segment =
            if physiological, let parameter = alarm.sourceParameter {
                facet(
                    2, "NM", HL7Text.mdc(parameter.mdcTerm), DecimalText.format(optional: alarm.sourceValue),
                    unit: HL7Text.unit(parameter.mdcUnit))
            } else {
                facet(
                    2, "CWE", HL7Text.mdc(Nomenclature.alertSource),
                    HL7Text.mdc(alarm.device == .pump ? Nomenclature.pumpMDS : Nomenclature.monitorMDS))
            }
        let phase = Self.phase(alarm.transition)
        return [
            event, source,
            facet(3, "ST", HL7Text.mdc(Nomenclature.eventPhase), phase.phase),
            facet(4, "ST", HL7Text.mdc(Nomenclature.alarmState), phase.state),
            facet(5, "ST", HL7Text.mdc(Nomenclature.inactivationState), phase.inactivation),
            facet(6, "ST", HL7Text.mdc(Nomenclature.alarmPriority), Self.priority(alarm.priority)),
            facet(7, "ST", HL7Text.mdc(Nomenclature.alertType), physiological ? "SP" : "ST"),
        ]
    }

    /// The alert's address without the facet: the source metric's place for a physiological alarm
    /// (its code as the fourth element, as in the PCD TF sample), the device's MDS otherwise.
    private static func alertAddress(_ alarm: AlarmTransitionEntry) -> String {
        if alarm.category == .physiological, let parameter = alarm.sourceParameter,
            let placement = DeviceContainment.placement(of: parameter)
        {
            return ContainmentAddress(1, placement.vmd.index, 1, Int(parameter.mdcCode)).text
        }
        return ContainmentAddress(1, 0, 0, 0).text
    }

    /// ACM facets 3–5 for a core transition: event phase, alarm state, inactivation state.
    package static func phase(_ transition: AlarmTransition) -> (phase: String, state: String, inactivation: String) {
        switch transition {
        case .raised: ("start", "active", "enabled")
        case .escalated: ("escalate", "active", "enabled")
        case .deescalated: ("deescalate", "active", "enabled")
        case .latched: ("end", "latched", "enabled")
        case .acknowledged: ("acknowledged", "active", "acknowledged")
        case .cleared: ("end", "inactive", "enabled")
        }
    }

    /// ACM facet 6: PL, PM or PH (IEC 60601-1-8 low, medium, high).
    package static func priority(_ priority: AlarmPriority) -> String {
        switch priority {
        case .low: "PL"
        case .medium: "PM"
        case .high: "PH"
        }
    }
}
