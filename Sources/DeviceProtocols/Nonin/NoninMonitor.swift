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
/// Pure: it keeps only the partial frame and packet, and the previous Data Format 8 record's arrival,
/// between calls.
///
/// Data Format 8 has no checksum (docs/DEVICE-BASIS.md section 5): about one random 4-byte window in
/// sixteen has the record's sync pattern, so on a noisy line the decoder finds records in the noise,
/// thousands a second with random numbers. A real record comes alone, once a second. So a record is
/// believed only when it came alone on both sides: nothing discarded between it and the record before
/// it nor between it and the record after it, each at least `format8MinimumRecordSpacing` away. Its
/// report is therefore given when the next record arrives (a second late, dated when it arrived); any
/// other record is dropped (`rejectedRecordCount`). Noise that starts right after a record cannot pass
/// as the next one (the real record follows it at once), and a record with noise next to it is lost
/// rather than risked: on a noisy line the readings stop and the link is reported lost.
public struct NoninMonitor: Sendable {
    public let format: NoninDataFormat
    private var format2 = NoninFormat2Decoder()
    private var format8 = NoninFormat8Decoder()
    /// Packets dropped because they did not have exactly 25 frames, since creation.
    public private(set) var rejectedPacketCount = 0
    /// Data Format 8 records dropped as indistinguishable from line noise, since creation.
    public private(set) var rejectedRecordCount = 0
    /// The previous Data Format 8 record, waiting for the next one to vouch for it.
    private var previousRecord: PendingRecord?
    /// The decoder's discarded-byte count right after the previous Data Format 8 record.
    private var discardedAtPreviousRecord = 0

    private struct PendingRecord: Sendable {
        var record: NoninFormat8Record
        var time: MonotonicInstant
        /// Whether it came alone after the record before it (or was the first, with nothing discarded).
        var cameAlone: Bool
    }

    /// Half the documented 1 s period: generous for a late read, far longer than noise takes to make
    /// the next sync pattern.
    public static let format8MinimumRecordSpacing = Duration.milliseconds(500)

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
            // Byte by byte, so each record is judged by the bytes discarded just before it.
            var reports: [MonitorReport] = []
            for byte in bytes {
                for record in format8.decode(CollectionOfOne(byte)) {
                    if let report = believed(record, at: time) { reports.append(report) }
                }
            }
            return reports
        }
    }

    /// Takes `record`, arrived at `time`, and returns the previous record's report if both came alone
    /// (see the type's comment); nil otherwise.
    private mutating func believed(_ record: NoninFormat8Record, at time: MonotonicInstant) -> MonitorReport? {
        let alone = format8.discardedByteCount == discardedAtPreviousRecord
            && (previousRecord.map { time - $0.time >= Self.format8MinimumRecordSpacing } ?? true)
        discardedAtPreviousRecord = format8.discardedByteCount
        defer { previousRecord = PendingRecord(record: record, time: time, cameAlone: alone) }
        guard let previous = previousRecord else { return nil }
        guard previous.cameAlone, alone else {
            rejectedRecordCount += 1
            return nil
        }
        return previous.record.report(at: previous.time)
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
