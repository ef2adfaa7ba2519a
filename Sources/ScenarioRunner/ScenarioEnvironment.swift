import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The processes a scenario plays against: per chair a pump and a monitor simulator on ptys, and
/// infusiond configured for those chairs, all in one scratch directory.
///
/// Ownership: the environment owns every process and the directory; `tearDown()` stops them and
/// removes the directory (unless kept for inspection).
final class ScenarioEnvironment {
    /// Where the executables are.
    struct Executables {
        var simulator: String
        var daemon: String
    }

    let directory: String
    let socketPath: String
    let configurationPath: String
    private let executables: Executables
    private var simulators: [String: ManagedProcess] = [:]
    private(set) var daemon: ManagedProcess?
    var daemonLogPath: String { directory + "/infusiond.log" }

    /// Creates the scratch directory and writes the daemon's configuration.
    init(scenario: Scenario, executables: Executables) throws(RunnerFailure) {
        self.executables = executables
        var template = Array("/tmp/infusion-scenario.XXXXXX".utf8CString)
        guard let created = template.withUnsafeMutableBufferPointer({ buffer in buffer.baseAddress.flatMap { mkdtemp($0) } })
        else {
            throw RunnerFailure("cannot create a scratch directory: \(String(cString: strerror(errno)))")
        }
        directory = String(cString: created)
        socketPath = directory + "/infusiond.sock"
        configurationPath = directory + "/infusiond.json"
        let configuration = try Self.configuration(for: scenario, directory: directory)
        guard FileManager.default.createFile(atPath: configurationPath, contents: configuration) else {
            throw RunnerFailure("cannot write \(configurationPath)")
        }
    }

    /// The pty link of a chair's device.
    func devicePath(chair: String, role: DeviceRole) -> String { "\(directory)/chair\(chair)-\(role.rawValue)" }

    /// The control socket of a chair's simulator.
    func controlPath(chair: String, role: DeviceRole) -> String { devicePath(chair: chair, role: role) + ".control" }

    /// Starts both simulators (or recording players) of every chair and waits until their control
    /// sockets exist. Recording paths are relative to `baseDirectory`.
    func startSimulators(for chairs: [ChairSetup], baseDirectory: String) throws(RunnerFailure) {
        func resolved(_ path: String) -> String { path.hasPrefix("/") ? path : baseDirectory + "/" + path }
        for chair in chairs {
            let pump = devicePath(chair: chair.id, role: .pump)
            if let recording = chair.pumpRecording {
                try startSimulator(key: "\(chair.id).pump", arguments: [
                    "replay-link", resolved(recording), "--pty", pump, "--mode", "answer", "--speed", "\(chair.replaySpeed)",
                ])
            } else {
                try startSimulator(key: "\(chair.id).pump", arguments: [
                    "pump", "--protocol", chair.pumpProtocol, "--pty", pump,
                    "--syringe-volume", "\(chair.syringeMillilitres)",
                ])
            }
            if let recording = chair.monitorRecording {
                try startSimulator(key: "\(chair.id).monitor", arguments: [
                    "replay-link", resolved(recording), "--pty", devicePath(chair: chair.id, role: .monitor),
                    "--mode", "stream", "--speed", "\(chair.replaySpeed)",
                ])
                continue
            }
            var monitor = [
                "monitor", "--protocol", chair.monitorProtocol, "--pty", devicePath(chair: chair.id, role: .monitor),
                "--preset", chair.preset, "--time-scale", "\(chair.patientSpeed)", "--seed", "\(chair.seed)",
            ]
            if let cuff = chair.cuffIntervalSeconds { monitor += ["--cuff-interval", "\(cuff)"] }
            if let dip = chair.desaturation { monitor += ["--desaturation", dip] }
            try startSimulator(key: "\(chair.id).monitor", arguments: monitor)
        }
        for chair in chairs {
            for role in [DeviceRole.pump, .monitor] {
                let key = "\(chair.id).\(role.rawValue)"
                // Generous: a loaded 2-core CI machine may start many processes at once.
                try waitFor("the \(key) simulator", seconds: 30) {
                    FileManager.default.fileExists(atPath: controlPath(chair: chair.id, role: role))
                } ifDead: { simulators[key] }
            }
        }
    }

    private func startSimulator(key: String, arguments: [String]) throws(RunnerFailure) {
        simulators[key] = try ManagedProcess(
            name: "simulator \(key)", executable: executables.simulator, arguments: arguments,
            logPath: "\(directory)/sim-\(key).log")
    }

    /// Starts infusiond and waits (at most 30 s) until its socket accepts a connection.
    func startDaemon() throws(RunnerFailure) {
        if let daemon, daemon.isRunning { throw RunnerFailure("infusiond is already running") }
        let started = try ManagedProcess(
            name: "infusiond", executable: executables.daemon,
            arguments: ["--socket", socketPath, "--config", configurationPath, "--log-level", "debug"],
            logPath: daemonLogPath)
        daemon = started
        try waitFor("infusiond to serve on \(socketPath)", seconds: 30) {
            (try? SocketLineConnection(path: socketPath)) != nil
        } ifDead: { started }
    }

    /// Stops infusiond with `signal` (SIGKILL: a crash; SIGTERM: a clean stop).
    func stopDaemon(signal: Int32) {
        daemon?.stop(signal: signal)
    }

    /// Stops every process and removes the scratch directory unless `keep`.
    func tearDown(keep: Bool) {
        daemon?.stop(signal: SIGTERM)
        for simulator in simulators.values { simulator.stop(signal: SIGTERM) }
        if !keep { try? FileManager.default.removeItem(atPath: directory) }
    }

    private func waitFor(
        _ what: String, seconds: Double, _ done: () -> Bool, ifDead process: () -> ManagedProcess?
    ) throws(RunnerFailure) {
        let deadline = Date().addingTimeInterval(seconds)
        while !done() {
            if let process = process(), !process.isRunning {
                throw RunnerFailure("\(process.name) exited while waiting for \(what):\n\(process.logTail())")
            }
            guard Date() < deadline else { throw RunnerFailure("timed out after \(seconds) s waiting for \(what)") }
            usleep(20_000)
        }
    }

    /// The daemon configuration: the chairs on their pty links and the audit store in the scratch
    /// directory, then each `config` patch merged in.
    static func configuration(for scenario: Scenario, directory: String) throws(RunnerFailure) -> Data {
        let chairs: [[String: Any]] = scenario.chairs.map { chair in
            [
                "id": chair.id,
                "pump": ["family": chair.pumpProtocol, "path": "\(directory)/chair\(chair.id)-pump"],
                "monitor": ["family": chair.monitorProtocol, "path": "\(directory)/chair\(chair.id)-monitor"],
            ]
        }
        // The audit store (and its crash-recovery checkpoints) lives in the scratch directory, so runs never
        // share a store or restore each other's chairs.
        var configuration: [String: Any] = ["chairs": chairs, "audit": ["directory": directory]]
        for patch in scenario.configurationPatches {
            let text = patch.replacingOccurrences(of: "$DIR", with: directory)
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                throw RunnerFailure("config patch is not a JSON object: \(patch)")
            }
            configuration = merge(configuration, object)
        }
        do {
            return try JSONSerialization.data(withJSONObject: configuration, options: [.prettyPrinted, .sortedKeys])
        } catch {
            throw RunnerFailure("cannot encode the daemon configuration: \(error)")
        }
    }

    /// `patch` laid over `base`: objects merge key by key, anything else replaces.
    static func merge(_ base: [String: Any], _ patch: [String: Any]) -> [String: Any] {
        var result = base
        for (key, value) in patch {
            if let inner = value as? [String: Any], let existing = result[key] as? [String: Any] {
                result[key] = merge(existing, inner)
            } else {
                result[key] = value
            }
        }
        return result
    }
}
