import InfusionCore

/// IHE PCD-01 (Communicate PCD Data) messages, HL7 v2.6 ORU^R01: one per vital-sign time point
/// (readings recorded at the same instant share a message) and one per pump read-back.
package struct PCD01Builder {
    package static let messageType = ["ORU", "R01", "ORU_R01"]
    package static let profile = ["IHE_PCD_001", "IHE PCD", "1.3.6.1.4.1.19376.1.6.1.1.1", "ISO"]
    /// OBR-4: SNOMED CT 182777000 "monitoring of patient", as in the PCD TF samples.
    package static let service = HL7Text.components("182777000", "monitoring of patient", "SCT")

    var envelope: HL7Envelope

    /// Every PCD-01 message of the session, in time order (vitals and pump interleaved).
    func messages() -> [String] {
        var bodies: [(time: UTCInstant, observations: [HL7Segment])] = []
        var pending: [VitalEntry] = []
        func flushVitals() {
            let equipment = HL7Envelope.equipmentIdentifier(envelope.records.monitor)
            if let first = pending.first, let rows = Self.vitalRows(pending, equipment: equipment) {
                bodies.append((first.time, rows))
            }
            pending.removeAll()
        }
        for entry in envelope.records.timeline {
            if case .vital(let vital) = entry {
                if let first = pending.first, first.time != vital.time { flushVitals() }
                pending.append(vital)
            } else if case .pumpReadBack(let readBack) = entry {
                flushVitals()
                bodies.append((readBack.time, pumpRows(readBack)))
            }
        }
        flushVitals()
        return bodies.enumerated().map { index, body in
            let id = envelope.controlID("R01", index + 1)
            let order = HL7Segment(
                "OBR",
                [
                    1: "1",
                    2: HL7Text.components(envelope.records.sessionID, envelope.configuration.sendingApplication),
                    3: HL7Text.components(id, envelope.configuration.sendingApplication), 4: Self.service,
                    7: body.time.hl7,
                ])
            let numbered = body.observations.enumerated().map { offset, segment in
                var segment = segment
                segment.fields[1] = "\(offset + 1)"
                return segment
            }
            let header = envelope.header(type: Self.messageType, controlID: id, time: body.time, profile: Self.profile)
            return HL7Segment.message([header, envelope.patient, envelope.visit, order] + numbered)
        }
    }

    /// The monitor's rows for readings taken at one instant: MDS, then each VMD (and channel) that
    /// has a reading, then its metrics, in dictionary order, each naming the monitor by `equipment` (OBX-18).
    /// Nil when no reading has a place.
    package static func vitalRows(_ readings: [VitalEntry], equipment: String) -> [HL7Segment]? {
        // The last reading of a parameter at an instant wins; one address holds one value.
        var byAddress: [(address: ContainmentAddress, vital: VitalEntry, vmd: MonitorVMD)] = []
        for vital in readings {
            guard let placement = DeviceContainment.placement(of: vital.parameter),
                let address = DeviceContainment.address(of: vital.parameter)
            else { continue }
            byAddress.removeAll { $0.address == address }
            byAddress.append((address, vital, placement.vmd))
        }
        guard !byAddress.isEmpty else { return nil }
        var rows: [(ContainmentAddress, HL7Segment)] = [
            (
                ContainmentAddress(1, 0, 0, 0),
                Self.deviceRow(Nomenclature.monitorMDS, ContainmentAddress(1, 0, 0, 0), equipment, nil)
            )
        ]
        for vmd in Set(byAddress.map(\.vmd.index)).sorted() {
            guard let device = byAddress.first(where: { $0.vmd.index == vmd })?.vmd else { continue }
            let vmdAddress = ContainmentAddress(1, vmd, 0, 0)
            rows.append((vmdAddress, Self.deviceRow(device.term, vmdAddress, equipment, nil)))
            if let channel = device.channel {
                let channelAddress = ContainmentAddress(1, vmd, 1, 0)
                rows.append((channelAddress, Self.deviceRow(channel, channelAddress, equipment, readings.first?.time)))
            }
        }
        for (address, vital, _) in byAddress {
            rows.append(
                (
                    address,
                    Self.numericRow(
                        vital.parameter.mdcTerm, address, vital.value, vital.parameter.mdcUnit,
                        flag: Self.measurementStatus(vital),
                        time: vital.time, equipment: equipment)
                ))
        }
        return rows.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// The pump's rows for one read-back: MDS, VMD, then infusing status, flow, dose rate,
    /// concentration, volume to be infused (where programmed) and volume delivered.
    private func pumpRows(_ readBack: PumpReadBackEntry) -> [HL7Segment] {
        let records = envelope.records
        let equipment = HL7Envelope.equipmentIdentifier(records.pump)
        let program = records.program
        let doseRate = DoseRate.from(
            readBack.flow, in: program.doseRate.unit, weight: records.patient.weight,
            concentration: program.concentration)
        let time = readBack.time
        let status = readBack.isInfusing ? "pump-status-infusing" : "pump-status-not-infusing"
        var rows = [
            Self.deviceRow(Nomenclature.pumpMDS, ContainmentAddress(1, 0, 0, 0), equipment, nil),
            Self.deviceRow(Nomenclature.pumpVMD, ContainmentAddress(1, 1, 0, 0), equipment, nil),
            HL7Segment(
                "OBX",
                [
                    2: "CWE", 3: HL7Text.mdc(Nomenclature.infusingStatus), 4: ContainmentAddress(1, 1, 1, 1).text,
                    5: HL7Text.components(nil, status), 11: "R", 14: time.hl7, 18: equipment,
                ]),
        ]
        // Metric numbers are fixed (2…6), so an address keeps its meaning when VTBI is absent.
        let metrics: [(term: MDCCode, value: Double?, unit: MDCUnit)] = [
            (Nomenclature.flowRate, readBack.flow.value, Nomenclature.millilitresPerHour),
            (Nomenclature.doseRate, doseRate.value, Nomenclature.unit(of: doseRate.unit)),
            (Nomenclature.drugConcentration, program.concentration.value, Nomenclature.milligramsPerMillilitre),
            (Nomenclature.volumeToBeInfused, program.volumeToBeInfused?.value, Nomenclature.millilitres),
            (Nomenclature.volumeDelivered, readBack.volumeDelivered.value, Nomenclature.millilitres),
        ]
        for (offset, metric) in metrics.enumerated() where metric.value != nil {
            rows.append(
                Self.numericRow(
                    metric.term, ContainmentAddress(1, 1, 1, offset + 2), metric.value, metric.unit, flag: nil,
                    time: time, equipment: equipment))
        }
        return rows
    }

    /// A containment row (MDS, VMD or channel): no value, OBX-11 `X`.
    package static func deviceRow(_ term: MDCCode, _ address: ContainmentAddress, _ equipment: String, _ time: UTCInstant?)
        -> HL7Segment
    {
        var fields = [3: HL7Text.mdc(term), 4: address.text, 11: "X", 18: equipment]
        if let time { fields[14] = time.hl7 }
        return HL7Segment("OBX", fields)
    }

    /// A numeric metric row; an absent value leaves OBX-5 empty.
    package static func numericRow(
        _ term: MDCCode, _ address: ContainmentAddress, _ value: Double?, _ unit: MDCUnit, flag: String?,
        time: UTCInstant,
        equipment: String
    ) -> HL7Segment {
        var fields = [
            2: "NM", 3: HL7Text.mdc(term), 4: address.text, 5: DecimalText.format(optional: value),
            6: HL7Text.unit(unit), 11: "R", 14: time.hl7, 18: equipment,
        ]
        if let flag { fields[8] = flag }
        return HL7Segment("OBX", fields)
    }

    /// OBX-8 measurement status (PCD TF): `NAV` no value or sensor off/searching, `INV` invalid or out
    /// of range, `QUES` questionable (artefact, low perfusion, low signal quality); nil when valid.
    package static func measurementStatus(_ vital: VitalEntry) -> String? {
        let flags = vital.flags
        let hasNumber = vital.value?.isFinite ?? false
        if !hasNumber || !flags.isDisjoint(with: [.sensorOff, .searching]) { return "NAV" }
        if !flags.isDisjoint(with: [.invalid, .outOfRange]) { return "INV" }
        if !flags.isDisjoint(with: [.artefact, .lowPerfusion, .lowSignalQuality]) { return "QUES" }
        return nil
    }
}
