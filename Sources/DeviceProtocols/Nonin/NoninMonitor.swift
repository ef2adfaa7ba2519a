public import InfusionCore

/// The Nonin serial data formats this codec speaks (docs/DEVICE-BASIS.md section 5).
public enum NoninDataFormat: String, Hashable, Sendable, CaseIterable {
    /// 5-byte frames, 75 per second, 25 frames per packet.
    case format2 = "df2"
    /// 4-byte records, once per second.
    case format8 = "df8"
}

/// The host side of a Nonin serial link: bytes and their receive time in, monitor reports out.
///
/// One report per Data Format 2 packet (3 per second) or per Data Format 8 record (1 per second).
/// Pure: it keeps only the partial frame and packet between calls.
public struct NoninMonitor: Sendable {
    public let format: NoninDataFormat
    private var format2 = NoninFormat2Decoder()
    private var format8 = NoninFormat8Decoder()
    /// Packets dropped because they did not have exactly 25 frames, since creation.
    public private(set) var rejectedPacketCount = 0

    public init(format: NoninDataFormat) {
        self.format = format
    }

    /// Bytes thrown away while hunting for frames.
    public var discardedByteCount: Int {
        format == .format2 ? format2.discardedByteCount : format8.discardedByteCount
    }

    /// Feeds bytes received at `time`; returns a report for each packet or record they completed.
    public mutating func receive(_ bytes: some Sequence<UInt8>, at time: MonotonicInstant) -> [MonitorReport] {
        switch format {
        case .format2:
            return format2.decode(bytes).compactMap { event in
                switch event {
                case .packet(let packet):
                    return packet.report(at: time)
                case .rejectedPacket:
                    rejectedPacketCount += 1
                    return nil
                }
            }
        case .format8:
            return format8.decode(bytes).map { $0.report(at: time) }
        }
    }
}

extension NoninFormat2Packet {
    /// The packet as a report: SpO2 and pulse rate (4-beat averages), flagged from every frame's status.
    public func report(at time: MonotonicInstant) -> MonitorReport {
        let status = combinedStatus
        var conditions: MonitorConditions = []
        if status.contains(.sensorDisconnected) { conditions.insert(.sensorOff) }
        if status.contains(.sensorAlarm) { conditions.insert(.sensorFault) }
        if status.contains(.artefact) { conditions.insert(.artefact) }
        if status.contains(.outOfTrack) { conditions.insert(.searching) }
        switch worstPerfusion {
        case .low: conditions.insert(.lowPerfusion)
        case .medium: conditions.insert(.lowSignalQuality)
        case .high, .none: break
        }
        let values = self.values
        if values.lowBattery { conditions.insert(.lowBattery) }
        return NoninReadings(spo2: values.spo2, heartRate: values.heartRate, conditions: conditions).report(at: time)
    }
}

extension NoninFormat8Record {
    /// The record as a report: SpO2 and pulse rate, flagged from both status bytes.
    public func report(at time: MonotonicInstant) -> MonitorReport {
        var conditions: MonitorConditions = []
        if status.contains(.sensorDisconnected) { conditions.insert(.sensorOff) }
        if status2.contains(.sensorAlarm) { conditions.insert(.sensorFault) }
        if status.contains(.artefact) { conditions.insert(.artefact) }
        if status.contains(.outOfTrack) { conditions.insert(.searching) }
        if status.contains(.lowPerfusion) { conditions.insert(.lowPerfusion) }
        if status.contains(.marginalPerfusion) { conditions.insert(.lowSignalQuality) }
        if !status2.isDisjoint(with: [.lowBattery, .criticalBattery]) { conditions.insert(.lowBattery) }
        return NoninReadings(spo2: spo2, heartRate: heartRate, conditions: conditions).report(at: time)
    }
}

/// The mapping both formats share from Nonin's conditions to per-reading flags.
private struct NoninReadings {
    var spo2: Int?
    var heartRate: Int?
    var conditions: MonitorConditions

    func report(at time: MonotonicInstant) -> MonitorReport {
        var shared: VitalSignFlags = []
        // Sensor disconnect and sensor alarm both mean the device itself calls the data unusable.
        if !conditions.isDisjoint(with: [.sensorOff, .sensorFault]) { shared.insert(.invalid) }
        if conditions.contains(.sensorOff) { shared.insert(.sensorOff) }
        if conditions.contains(.artefact) { shared.insert(.artefact) }
        if conditions.contains(.searching) { shared.insert(.searching) }
        if conditions.contains(.lowPerfusion) { shared.insert(.lowPerfusion) }
        if conditions.contains(.lowSignalQuality) { shared.insert(.lowSignalQuality) }
        let vitals = [(VitalParameter.spo2, spo2), (.pulseRate, heartRate)].map { parameter, value in
            VitalSign(
                parameter: parameter, value: value.map(Double.init), time: time,
                flags: value == nil ? shared.union(.invalid) : shared)
        }
        return MonitorReport(vitals: vitals, conditions: conditions, time: time)
    }
}
