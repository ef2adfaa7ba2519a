import ArgumentParser
import DeviceSimulators
import Foundation
import ScenarioRunner

/// `infusion-sim replay-link`: one recorded link played back behind a pty (the device side of a
/// replay; `infusion-sim replay` starts these). Control lines: `play`, `state`, plus the host's own.
struct ReplayLinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay-link",
        abstract: "Play one link recording back behind a pseudo-terminal linked at --pty."
    )

    @Argument(help: "A .linkrec recording.")
    var recording: String

    @Option(help: "Path of the symlink to create for the pty slave.")
    var pty: String

    @Option(help: "stream (monitors: recorded pace from 'play') or answer (pumps: replies in recorded order).")
    var mode: String = "stream"

    @Option(help: "Playback speed: recorded seconds per real second.")
    var speed: Double = 1

    func validate() throws {
        guard speed > 0, speed.isFinite else { throw ValidationError("--speed must be positive") }
        guard RecordedDevice.Mode(rawValue: mode) != nil else { throw ValidationError("--mode is stream or answer") }
    }

    func run() throws {
        let text = try String(contentsOfFile: recording, encoding: .utf8)
        let device = RecordedDevice(
            recording: try LinkRecording(parsing: text), mode: RecordedDevice.Mode(rawValue: mode) ?? .stream)
        let host = try SimulatorHost(device: device, options: SimulatorHostOptions(linkPath: pty, timeScale: speed))
        print("infusion-sim: replaying \(recording) on \(host.slavePath ?? "?") linked at \(pty)")
        try host.run()
    }
}
