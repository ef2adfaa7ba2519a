import Foundation

/// One chair of real processes: a New Era pump simulator and a monitor simulator on ptys, and
/// infusiond configured to drive them, all through their real interfaces.
final class SimulatedChair: @unchecked Sendable {
    let scratch: ScratchDirectory
    let pumpPath: String
    let monitorPath: String
    private(set) var pump: Process
    private(set) var monitor: Process
    private(set) var daemon: DaemonProcess
    /// The simulators of the chairs after the first (`additionalChairs`).
    private var otherSimulators: [Process] = []
    private let config: String
    private let launcher: [String]

    /// `pumpTimeScale` runs the simulated pump's plunger that many times faster than real time.
    init(monitorProtocol: String = "intellivue", preset: String = "hypertensive", timeScale: Double = 60,
         pumpProtocol: String = "newera", pumpTimeScale: Double = 1, pumpArguments: [String] = [],
         pumpSettings: String? = nil,
         coreConfiguration: String = "{}", devicesConfiguration: String = "{}", auditConfiguration: String = "{}",
         launcher: (ScratchDirectory) -> [String] = { _ in [] }, additionalChairs: Int = 0) throws {
        scratch = try ScratchDirectory()
        pumpPath = scratch.file("ttyPUMP")
        monitorPath = scratch.file("ttyMON")
        pump = try Self.simulator(
            ["pump", "--protocol", pumpProtocol, "--pty", pumpPath, "--time-scale", "\(pumpTimeScale)"] + pumpArguments,
            link: pumpPath)
        monitor = try Self.simulator(
            ["monitor", "--protocol", monitorProtocol, "--pty", monitorPath, "--preset", preset,
             "--time-scale", "\(timeScale)"], link: monitorPath)
        // Further chairs ("2", "3"...): an idle New Era pump and a typical patient on the same monitor protocol.
        var others = "", extraSimulators: [Process] = []
        for number in stride(from: 2, through: additionalChairs + 1, by: 1) {
            let otherPump = scratch.file("ttyPUMP\(number)"), otherMonitor = scratch.file("ttyMON\(number)")
            extraSimulators.append(try Self.simulator(
                ["pump", "--protocol", "newera", "--pty", otherPump], link: otherPump))
            extraSimulators.append(try Self.simulator(
                ["monitor", "--protocol", monitorProtocol, "--pty", otherMonitor, "--preset", "typical",
                 "--time-scale", "\(timeScale)"], link: otherMonitor))
            others += """
                ,{"id":"\(number)","pump":{"family":"newera","path":"\(otherPump)"},
                 "monitor":{"family":"\(monitorProtocol)","path":"\(otherMonitor)"}}
                """
        }
        let config = """
            {"chairs":[{"id":"1","pump":{"family":"\(pumpProtocol)","path":"\(pumpPath)"\(pumpSettings.map { ",\"settings\":\($0)" } ?? "")},
             "monitor":{"family":"\(monitorProtocol)","path":"\(monitorPath)"}}\(others)],
             "core":\(coreConfiguration),"devices":\(devicesConfiguration),"audit":\(auditConfiguration)}
            """
        self.config = config
        otherSimulators = extraSimulators
        self.launcher = launcher(scratch)
        daemon = try DaemonProcess(scratch: scratch, config: config, launcher: self.launcher)
    }

    /// Ends the daemon with `signal` (SIGKILL: a crash) and starts a new one on the same configuration and
    /// state directory, as systemd's Restart= would.
    func restartDaemon(after signal: Int32 = SIGKILL) throws {
        try daemon.stop(signal: signal)
        try startDaemonAgain()
    }

    /// Starts a new infusiond on the same configuration and state directory after `daemon.stop()`.
    func startDaemonAgain() throws {
        daemon = try DaemonProcess(scratch: scratch, config: config, launcher: launcher)
    }

    /// Starts an `infusion-sim` and waits until its pty link exists.
    static func simulator(_ arguments: [String], link: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltProducts.path("infusion-sim"))
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Generous: the integration suite starts many processes at once on a small CI machine.
        let deadline = Date().addingTimeInterval(30)
        // The simulator may make its control socket a moment before the pty link: wait for both.
        func ready() -> Bool {
            FileManager.default.fileExists(atPath: link + ".control") && FileManager.default.fileExists(atPath: link)
        }
        while !ready(), Date() < deadline { usleep(20_000) }
        guard FileManager.default.fileExists(atPath: link) else { throw Failure("simulator \(arguments) did not start") }
        return process
    }

    /// Sends a control line to a simulator and returns its answer.
    @discardableResult
    func control(_ device: String, _ line: String) throws -> String {
        try Shell.run("echo '\(line)' | socat -t 2 - UNIX-CONNECT:\(device).control").stdout
    }

    /// A connected client that has read its hello.
    func client() throws -> LineClient {
        let client = try LineClient(path: daemon.socketPath, receiveTimeout: 20)
        try client.readHello()
        return client
    }

    /// Admits the standard patient and programmes 0.5 mg/kg over 40 min at 10 mg/mL (5.25 mL/h at 70 kg).
    func admitAndProgram(_ client: LineClient) throws {
        let intake = try client.request(
            #"{"cmd":"intake","chair":"1","patientID":"P-17","weight":70,"weightUnit":"kg","weightBasis":"measured","profileID":"ketamine-psychiatric","checklistSigned":true,"checklistSignedBy":"RN Lee"}"#)
        guard intake.ok else { throw Failure("intake: \(intake)") }
        // The baseline must be this patient's: the monitor's Start NBP key after intake.
        try control(monitorPath, "nibp-start")
        let program = try client.request(
            #"{"cmd":"program","chair":"1","concentration":10,"syringeVolume":50,"totalDose":0.5,"durationMinutes":40}"#)
        guard program.ok else { throw Failure("program: \(program)") }
    }

    /// Starts the infusion once both links are up and the monitor has delivered a baseline blood pressure.
    func startWhenBaselineIsIn(_ client: LineClient) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(20)
        while true {
            let reply = try client.request(#"{"cmd":"start","chair":"1"}"#)
            // The links may still be coming up on a loaded machine: the daemon serves before its devices answer.
            // Intake forgets the previous readings, so the first fresh ones may still be on their way.
            let notYet = ["no-baseline-bp", "vitals-stale", "pump-link-down", "monitor-link-down", "syringe-not-confirmed"].contains(reply.errorCode ?? "")
            // The hypertensive preset's baseline (137/88) lies just under the 140/90 pre-start bound and its scatter
            // crosses it now and then: like a nurse, take the pressure again and let the new reading decide.
            let pressureHigh = reply.errorCode == "pre-start-pressure-high"
            if pressureHigh { try measureAgain(client) }
            if reply.ok || !(notYet || pressureHigh) || Date() > deadline { return reply }
            usleep(200_000)
        }
    }

    /// Takes a new cuff pressure (the monitor's Start NBP key) and waits until status shows it.
    func measureAgain(_ client: LineClient) throws {
        func cuffTime() throws -> String? { (try chairStatus(client)["bloodPressure"] as? [String: Any])?["time"] as? String }
        let before = try cuffTime()
        try control(monitorPath, "nibp-start")
        _ = try eventually(within: 20) { try cuffTime() != before }
    }

    /// A chair infusing the standard programme (5.25 mL/h) with vitals flowing, on the default devices.
    static func infusing(additionalChairs: Int = 0) throws -> SimulatedChair {
        let chair = try SimulatedChair(additionalChairs: additionalChairs)
        let client = try chair.client()
        defer { client.close() }
        try chair.admitAndProgram(client)
        let start = try chair.startWhenBaselineIsIn(client)
        guard start.ok else { throw Failure("start: \(start)") }
        return chair
    }

    /// Reads events until one satisfies `match`; throws after `timeout` seconds.
    func waitForEvent(
        on client: LineClient, timeout: Double = 20, _ match: ([String: Any]) -> Bool
    ) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let message = try client.readJSON()
            if message["event"] != nil, match(message) { return message }
        }
        throw Failure("no matching event within \(timeout) s")
    }

    func stopSimulator(_ process: Process) {
        process.terminate()
        process.waitUntilExit()
    }

    deinit {
        for process in [pump, monitor] + otherSimulators where process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}

extension Dictionary where Key == String, Value == Any {
    /// `data.detail` of a chair event.
    var detail: [String: Any] { ((self["data"] as? [String: Any])?["detail"] as? [String: Any]) ?? [:] }
}
