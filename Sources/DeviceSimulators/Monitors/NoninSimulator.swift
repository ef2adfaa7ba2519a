#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
public import DeviceProtocols
public import InfusionCore

/// A Nonin OEM pulse oximeter: Data Format 2 (75 frames/s in 25-frame packets) or Data Format 8
/// (one record per second), output only.
///
/// Faults (docs/DEVICE-BASIS.md section 5): sensor off sets SNSD and OOT and sends the missing codes
/// (HR 511, SpO2 127) with a flat pleth; motion sets ARTF; low perfusion shows red perfusion (DF2) or
/// LPRF (DF8) with a small pleth; no-frames and disconnect send nothing; garbage puts random bytes
/// before each packet or record (and between them at the `noise-rate`).
public struct NoninSimulator: ControllableDevice {
    public let format: NoninDataFormat
    public var settings: NoninSimulationSettings
    public private(set) var state: MonitorSimulation
    private let start: MonotonicInstant
    /// Index of the next frame (DF2) since `start`.
    private var nextIndex = 0
    /// When the last DF8 record was sent, on the schedule or, when it went late, when it went.
    private var lastRecordAt: MonotonicInstant?
    private var packet: [NoninFormat2Frame] = []

    public init(format: NoninDataFormat, settings: NoninSimulationSettings = NoninSimulationSettings(), state: MonitorSimulation, start: MonotonicInstant = .zero) {
        self.format = format
        self.settings = settings
        self.state = state
        self.start = start
    }

    /// The oximeter ignores anything the host writes.
    public mutating func receive(_ bytes: [UInt8], at time: MonotonicInstant) -> [UInt8] { [] }

    public mutating func advance(to time: MonotonicInstant) -> [UInt8] {
        if format == .format8 { return state.noiseBetweenMessages(until: time) + nextRecord(at: time) }
        let interval = settings.framePeriod
        let due = Int(((time - start).secondsDouble / interval.secondsDouble).rounded(.down)) + 1
        // A real device does not queue what it could not send: skip a backlog beyond one second.
        let backlogLimit = Int((1 / interval.secondsDouble).rounded(.up))
        if due - nextIndex > backlogLimit {
            nextIndex = due - backlogLimit
            nextIndex -= nextIndex % NoninFormat2Packet.frameCount
        }
        var output = state.noiseBetweenMessages(until: time)
        while nextIndex < due {
            let index = nextIndex
            nextIndex += 1
            output += frame(index: index, at: start + interval * index)
        }
        return output
    }

    /// The DF8 record due by `time`, if any: one a `recordPeriod` after the one before. A record sent late (the
    /// simulator's thread was held up) moves the schedule with it instead of being followed at once by the next:
    /// an oximeter's records are a period apart on its own clock, and the host believes a record only when it
    /// comes alone, half a second from its neighbours (docs/DEVICE-BASIS.md section 5), so a late pair would
    /// both be lost. Within a quarter of a period of the schedule, the schedule stands.
    private mutating func nextRecord(at time: MonotonicInstant) -> [UInt8] {
        let period = settings.recordPeriod
        let due = lastRecordAt.map { $0 + period } ?? start
        guard time >= due else { return [] }
        lastRecordAt = time - due < period / 4 ? due : time
        return record(at: time)
    }

    /// The shared monitor lines, except `ecg-rate`: a pulse oximeter counts no ECG.
    public mutating func control(_ words: [Substring], at time: MonotonicInstant) -> String {
        guard words.first != "ecg-rate" else { return "error a pulse oximeter has no ECG; ecg-rate is IntelliVue only" }
        return state.control(words, at: time)
    }

    private mutating func frame(index: Int, at time: MonotonicInstant) -> [UInt8] {
        let position = index % NoninFormat2Packet.frameCount
        if position == 0 { packet = buildPacket(firstFrame: index, at: time).frames }
        guard !state.isSilent, position < packet.count else { return [] }
        return (position == 0 ? state.noiseBurst() : []) + packet[position].bytes
    }

    private mutating func buildPacket(firstFrame: Int, at time: MonotonicInstant) -> NoninFormat2Packet {
        let vitals = state.feed.measure(at: time)
        let sensorOff = state.faults.contains(.sensorOff)
        let values = NoninFormat2Values(
            heartRate: sensorOff ? nil : Int(state.plethRate(vitals).rounded()), spo2: sensorOff ? nil : Int(vitals.spo2.rounded()),
            firmwareRevision: settings.firmwareRevision, timer: Int((time - start).secondsDouble) % 0x4000)
        var base: NoninFrameStatus = []
        if sensorOff { base.formUnion([.sensorDisconnected, .outOfTrack]) }
        if state.faults.contains(.motionArtefact) { base.insert(.artefact) }
        let perfusion: NoninPerfusion = state.faults.contains(.lowPerfusion) ? .low : .high
        let amplitude = sensorOff ? 0 : (state.faults.contains(.lowPerfusion) ? settings.lowPlethAmplitude : settings.plethAmplitude)
        var pleth: [UInt8] = []
        var statuses: [NoninFrameStatus] = []
        for offset in 0..<NoninFormat2Packet.frameCount {
            let seconds = Double(firstFrame + offset) * settings.framePeriod.secondsDouble
            let phase = (seconds * state.plethRate(vitals) / 60).truncatingRemainder(dividingBy: 1)
            pleth.append(UInt8(clamping: Int((128 + amplitude * sin(2 * Double.pi * phase)).rounded())))
            // The perfusion colour is shown only during the pulse, about half of each beat.
            statuses.append(sensorOff || phase >= 0.5 ? base : base.with(perfusion: perfusion))
        }
        return NoninFormat2Packet(values: values, pleth: pleth, statuses: statuses)
    }

    private mutating func record(at time: MonotonicInstant) -> [UInt8] {
        guard !state.isSilent else { return [] }
        let vitals = state.feed.measure(at: time)
        let sensorOff = state.faults.contains(.sensorOff)
        var status: NoninFormat8Status = []
        if sensorOff { status.formUnion([.sensorDisconnected, .outOfTrack]) }
        if state.faults.contains(.motionArtefact) { status.insert(.artefact) }
        if state.faults.contains(.lowPerfusion) { status.insert(.lowPerfusion) }
        let record = NoninFormat8Record(
            status: status, heartRate: sensorOff ? nil : Int(state.plethRate(vitals).rounded()),
            spo2: sensorOff ? nil : Int(vitals.spo2.rounded()))
        return state.noiseBurst() + record.bytes
    }
}

/// Device-level settings of the simulated Nonin.
public struct NoninSimulationSettings: Hashable, Sendable {
    /// 75 frames per second (docs/DEVICE-BASIS.md section 5).
    public var framePeriod: Duration = .seconds(1) / 75
    /// One Data Format 8 record per second.
    public var recordPeriod: Duration = .seconds(1)
    public var firmwareRevision: UInt8 = 0x30
    /// Pleth swing around mid-scale, in sample units.
    public var plethAmplitude: Double = 60
    public var lowPlethAmplitude: Double = 6

    public init() {}
}
