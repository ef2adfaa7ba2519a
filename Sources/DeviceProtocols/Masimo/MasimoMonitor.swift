public import InfusionCore

/// The host side of a Masimo serial link: bytes and their receive time in, monitor reports out.
///
/// A monitor driver owns one of these per port and feeds it whatever the port delivered. Pure: it
/// keeps only the partial line between calls.
public struct MasimoMonitor: Sendable {
    private var decoder: MasimoLineDecoder
    /// Lines that arrived but could not be parsed, since creation.
    public private(set) var rejectedLineCount = 0

    public init(maximumLineLength: Int = 512) {
        decoder = MasimoLineDecoder(maximumLineLength: maximumLineLength)
    }

    /// Bytes thrown away while resynchronising (over-long lines).
    public var discardedByteCount: Int { decoder.discardedByteCount }

    /// Feeds bytes received at `time` and returns a report for every complete line that parsed.
    public mutating func receive(_ bytes: some Sequence<UInt8>, at time: MonotonicInstant) -> [MonitorReport] {
        var reports: [MonitorReport] = []
        for event in decoder.decode(bytes) {
            switch event {
            case .record(let record): reports.append(record.report(at: time))
            case .rejected: rejectedLineCount += 1
            }
        }
        return reports
    }
}

extension MasimoRecord {
    /// The conditions this line reports.
    public var conditions: MonitorConditions {
        var conditions: MonitorConditions = []
        if !exceptions.isDisjoint(with: .sensorAbsent) { conditions.insert(.sensorOff) }
        if !exceptions.isDisjoint(with: .sensorFaults) { conditions.insert(.sensorFault) }
        if exceptions.contains(.lowPerfusion) { conditions.insert(.lowPerfusion) }
        if !exceptions.isDisjoint(with: [.interference, .ambientLight]) { conditions.insert(.artefact) }
        if !exceptions.isDisjoint(with: [.pulseSearch, .sensorCalibrating]) { conditions.insert(.searching) }
        if exceptions.contains(.lowSignalIQ) { conditions.insert(.lowSignalQuality) }
        if alarms.contains(.lowBattery) { conditions.insert(.lowBattery) }
        if alarms.contains(.alarmActive) { conditions.insert(.deviceAlarmActive) }
        if alarms.contains(.alarmSilenced) { conditions.insert(.deviceAlarmSilenced) }
        return conditions
    }

    /// The line as a monitor report: SpO2, pulse rate and perfusion index, each flagged from the
    /// exception bits; a value the line lacks or sent as dashes is nil and flagged invalid.
    public func report(at time: MonotonicInstant) -> MonitorReport {
        let conditions = self.conditions
        var shared: VitalSignFlags = []
        if !exceptions.isDisjoint(with: .invalidatingReadings) { shared.insert(.invalid) }
        if conditions.contains(.sensorOff) { shared.insert(.sensorOff) }
        if conditions.contains(.searching) { shared.insert(.searching) }
        if conditions.contains(.lowPerfusion) { shared.insert(.lowPerfusion) }
        if conditions.contains(.artefact) { shared.insert(.artefact) }
        if conditions.contains(.lowSignalQuality) { shared.insert(.lowSignalQuality) }
        let readings: [(VitalParameter, Double?)] = [
            (.spo2, spo2), (.pulseRate, pulseRate), (.perfusionIndex, perfusionIndex),
        ]
        let vitals = readings.map { parameter, value in
            VitalSign(parameter: parameter, value: value, time: time, flags: value == nil ? shared.union(.invalid) : shared)
        }
        return MonitorReport(vitals: vitals, conditions: conditions, time: time)
    }
}
