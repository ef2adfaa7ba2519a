import DeviceSimulators
import InfusionCore
import ScenarioRunner

/// A device that plays a link recording back instead of simulating: streamed devices (monitors)
/// send what the device sent, at the recorded pace from `play` on; answering devices (pumps) send,
/// for each recorded request, the replies that followed it, as soon as the host has sent as many
/// bytes as the recorded request had.
struct RecordedDevice: ControllableDevice {
    enum Mode: String, Sendable {
        /// Send device → host chunks at their recorded offsets; ignore the host.
        case stream
        /// Answer the host's requests, in recorded order.
        case answer
    }

    private let chunks: [LinkRecording.Chunk]
    private let mode: Mode
    private var next = 0
    private var playStart: MonotonicInstant?
    /// Host bytes still owed to the recorded request at `next`.
    private var pendingRequestBytes = 0

    init(recording: LinkRecording, mode: Mode) {
        chunks = recording.chunks
        self.mode = mode
    }

    mutating func receive(_ bytes: [UInt8], at time: MonotonicInstant) -> [UInt8] {
        guard mode == .answer else { return [] }
        var unconsumed = bytes.count
        var reply: [UInt8] = []
        while unconsumed > 0, next < chunks.count {
            if pendingRequestBytes == 0 {
                guard chunks[next].direction == .toDevice else {
                    next += 1
                    continue
                }
                pendingRequestBytes = chunks[next].bytes.count
            }
            let taken = min(unconsumed, pendingRequestBytes)
            unconsumed -= taken
            pendingRequestBytes -= taken
            if pendingRequestBytes == 0 {
                next += 1
                while next < chunks.count, chunks[next].direction == .fromDevice {
                    reply += chunks[next].bytes
                    next += 1
                }
            }
        }
        return reply
    }

    mutating func advance(to time: MonotonicInstant) -> [UInt8] {
        guard mode == .stream, let playStart else { return [] }
        let elapsed = (time - playStart).secondsDouble
        var output: [UInt8] = []
        while next < chunks.count, chunks[next].offset <= elapsed {
            if chunks[next].direction == .fromDevice { output += chunks[next].bytes }
            next += 1
        }
        return output
    }

    /// `play` starts a streamed replay; `state` says how far it got.
    mutating func control(_ words: [Substring], at time: MonotonicInstant) -> String {
        switch words {
        case ["play"]:
            playStart = playStart ?? time
            return "ok"
        case ["state"]:
            return "ok mode=\(mode.rawValue) played=\(next) chunks=\(chunks.count) finished=\(next >= chunks.count)"
        default:
            return "error unknown command; try play, state"
        }
    }
}
