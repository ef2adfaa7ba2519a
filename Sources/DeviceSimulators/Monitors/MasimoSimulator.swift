public import DeviceProtocols
public import InfusionCore

/// A Masimo Radical-7 / Rad-8 / Rad-5 in ASCII 1 mode: one line per second, output only.
///
/// Faults (docs/DEVICE-BASIS.md section 4): sensor off sends dashes in every measured field with EXC
/// "pulse search + sensor off + SET" (0x828); motion sets low signal IQ (0x400) and keeps the numbers; low perfusion sets EXC 0x004
/// and a small PI; no-frames and disconnect send nothing; garbage puts random bytes before each line (and
/// between lines at the `noise-rate`).
public struct MasimoSimulator: ControllableDevice {
    public var settings: MasimoSimulationSettings
    public private(set) var state: MonitorSimulation
    private var nextLine: MonotonicInstant

    /// - Parameters:
    ///   - start: the device instant of the first line.
    public init(settings: MasimoSimulationSettings = MasimoSimulationSettings(), state: MonitorSimulation, start: MonotonicInstant = .zero) {
        self.settings = settings
        self.state = state
        nextLine = start
    }

    /// The monitor ignores anything the host writes: its serial port is output only.
    public mutating func receive(_ bytes: [UInt8], at time: MonotonicInstant) -> [UInt8] { [] }

    public mutating func advance(to time: MonotonicInstant) -> [UInt8] {
        var output = state.noiseBetweenMessages(until: time)
        // A real monitor does not queue lines it could not send; skip a backlog longer than one line.
        if time - nextLine > settings.period {
            let missed = Int((time - nextLine).secondsDouble / settings.period.secondsDouble)
            nextLine = nextLine + settings.period * missed
        }
        while nextLine <= time {
            let lineTime = nextLine
            nextLine = nextLine + settings.period
            guard !state.isSilent else { continue }
            output += state.noiseBurst()
            output += MasimoLineEncoder(layout: settings.layout).encode(record(at: lineTime), timestamp: timestamp(at: lineTime))
        }
        return output
    }

    /// The shared monitor lines, except `ecg-rate`: a pulse oximeter counts no ECG.
    public mutating func control(_ words: [Substring], at time: MonotonicInstant) -> String {
        guard words.first != "ecg-rate" else { return "error a pulse oximeter has no ECG; ecg-rate is IntelliVue only" }
        return state.control(words, at: time)
    }

    private mutating func record(at time: MonotonicInstant) -> MasimoRecord {
        let vitals = state.feed.measure(at: time)
        var record = MasimoRecord(
            serialNumber: settings.serialNumber, spo2: vitals.spo2.rounded(), pulseRate: state.plethRate(vitals).rounded(),
            perfusionIndex: vitals.perfusionIndex, exceptions: .setMode)
        if settings.layout != .rad5 {
            record.spco = settings.spco
            record.spmet = settings.spmet
            record.desaturationIndex = 0
            record.perfusionIndexDelta = 0
        }
        if settings.layout == .radical7 { record.plethVariabilityIndex = settings.plethVariabilityIndex }
        if state.faults.contains(.lowPerfusion) {
            record.exceptions.insert(.lowPerfusion)
            record.perfusionIndex = settings.lowPerfusionIndex
        }
        if state.faults.contains(.motionArtefact) { record.exceptions.insert(.lowSignalIQ) }
        if state.faults.contains(.sensorOff) {
            record.exceptions = [.setMode, .sensorOffPatient, .pulseSearch]
            // Without a sensor every measured field is dashes, as in the reference's no-sensor line.
            record = MasimoRecord(serialNumber: settings.serialNumber, exceptions: record.exceptions)
        }
        return record
    }

    private func timestamp(at time: MonotonicInstant) -> MasimoTimestamp {
        settings.clockStart.advanced(bySeconds: Int((time - .zero).secondsDouble.rounded(.down)))
    }
}

/// Device-level settings of the simulated Masimo that do not come from the patient.
public struct MasimoSimulationSettings: Hashable, Sendable {
    public var layout: MasimoLineLayout = .radical7
    public var serialNumber = "0000012345"
    /// One line per second (docs/DEVICE-BASIS.md section 4, OpenICE "1-Hz").
    public var period: Duration = .seconds(1)
    /// The device clock's reading at device instant zero (it prints its own date and time).
    public var clockStart = MasimoTimestamp(month: 1, day: 1, year: 26, hour: 8, minute: 0, second: 0)
    /// SpCO and SpMet sent when the layout has them, %.
    public var spco: Double = 1.0
    public var spmet: Double = 0.5
    public var plethVariabilityIndex: Double = 14
    /// The perfusion index sent under the low-perfusion fault, %.
    public var lowPerfusionIndex: Double = 0.2

    public init() {}
}
