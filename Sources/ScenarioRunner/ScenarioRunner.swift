import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Plays a `Scenario` against real processes: simulators on ptys and infusiond, driven through
/// their real interfaces (the daemon's socket, the simulators' control sockets), in real time.
///
/// Threading: `run()` blocks the calling thread until the scenario passes or a step fails.
public final class ScenarioRunner {
    /// Where the executables are and what to print.
    public struct Options: Sendable {
        public var simulatorPath: String
        public var daemonPath: String
        /// Keep the scratch directory (logs, configuration) after the run.
        public var keepDirectory = false
        /// Print each step as it runs.
        public var verbose = true
        /// Where relative recording paths in the scenario are resolved (the scenario file's directory).
        public var baseDirectory = "."

        public init(simulatorPath: String, daemonPath: String) {
            self.simulatorPath = simulatorPath
            self.daemonPath = daemonPath
        }
    }

    /// The result of a run; `failure` is nil when every step held.
    public struct Outcome: Sendable {
        public var failure: String?
        /// Every event line the watcher received, in order (across daemon restarts).
        public var events: [String] = []
        /// The scratch directory the run used (removed unless kept), for normalising paths.
        public var directory: String?
        public var passed: Bool { failure == nil }
    }

    private let scenario: Scenario
    private let options: Options
    private var environment: ScenarioEnvironment?
    private var session: DaemonSession?
    private var followers: [String: PumpFollower] = [:]
    /// Where `expect` and `absent` start looking: the event count when the latest action began.
    private var mark = 0
    private let started = Date()

    public init(scenario: Scenario, options: Options) {
        self.scenario = scenario
        self.options = options
    }

    /// Runs every step in order and stops at the first that fails.
    public func run() -> Outcome {
        defer {
            if options.keepDirectory, let environment, let session {
                let lines = session.eventLines.joined(separator: "\n") + "\n"
                _ = FileManager.default.createFile(atPath: environment.directory + "/events.jsonl", contents: Data(lines.utf8))
            }
            environment?.tearDown(keep: options.keepDirectory)
        }
        say("scenario: \(scenario.title)")
        do {
            let environment = try ScenarioEnvironment(
                scenario: scenario,
                executables: .init(simulator: options.simulatorPath, daemon: options.daemonPath))
            self.environment = environment
            if options.keepDirectory { say("scratch directory: \(environment.directory)") }
            try environment.startSimulators(for: scenario.chairs, baseDirectory: options.baseDirectory)
            for chair in scenario.chairs {
                followers[chair.id] = PumpFollower(
                    pumpControl: environment.controlPath(chair: chair.id, role: .pump),
                    monitorControl: environment.controlPath(chair: chair.id, role: .monitor),
                    concentration: chair.concentration, enabled: chair.followsPump)
            }
        } catch {
            return Outcome(failure: "setting up: \(error)")
        }
        for step in scenario.steps {
            let began = Date()
            do {
                try perform(step.action)
                say(String(format: "[%7.1f s] line %d ok (%.1f s): %@", began.timeIntervalSince(started), step.line,
                           Date().timeIntervalSince(began), step.text))
            } catch {
                let report = failureReport(step, error)
                say(report)
                return Outcome(failure: report, events: session?.eventLines ?? [])
            }
        }
        say(String(format: "PASS %@ (%.1f s)", scenario.title, Date().timeIntervalSince(started)))
        session?.disconnect()
        return Outcome(failure: nil, events: session?.eventLines ?? [], directory: environment?.directory)
    }

    func say(_ text: String) {
        guard options.verbose else { return }
        // Unbuffered, so a test that captures the output sees each step as it happens.
        let line = Array((text + "\n").utf8)
        _ = line.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }

    private func failureReport(_ step: Step, _ error: any Error) -> String {
        var report = "FAIL \(scenario.title)\n  line \(step.line): \(step.text)\n  \(error)"
        if let session {
            let recent = session.eventLines.suffix(from: min(mark, session.eventLines.count)).suffix(12)
            if !recent.isEmpty {
                report += "\n  last events since the step's action:\n" + recent.map { "    " + $0 }.joined(separator: "\n")
            }
        }
        if let daemon = environment?.daemon {
            report += "\n  infusiond log (tail):\n" + daemon.logTail(lines: 8).split(separator: "\n").map { "    " + $0 }
                .joined(separator: "\n")
        }
        return report
    }

    // MARK: steps

    private func perform(_ action: Action) throws(RunnerFailure) {
        switch action {
        case .startDaemon:
            try requireEnvironment().startDaemon()
            let fresh = DaemonSession(socketPath: try requireEnvironment().socketPath)
            if let old = session { fresh.inherit(from: old) }
            try fresh.reconnect()
            session = fresh
            mark = fresh.events.count
        case .killDaemon, .stopDaemon:
            session?.disconnect()
            let isKill = if case .killDaemon = action { true } else { false }
            try requireEnvironment().stopDaemon(signal: isKill ? SIGKILL : SIGTERM)
        case .send(let connection, let request, let expectation):
            mark = try requireSession().events.count
            let reply = try requireSession().request(request, on: connection)
            try check(reply, expectation)
        case .sendUntil(let seconds, let connection, let request, let expectation):
            mark = try requireSession().events.count
            try sendUntil(seconds: seconds, connection: connection, request: request, expectation: expectation)
        case .sendAsync(let connection, let request):
            mark = try requireSession().events.count
            try requireSession().sendAsync(request, on: connection)
        case .collect(let outcomes):
            try collect(outcomes)
        case .consistent:
            try checkConsistency()
        case .expect(let seconds, let matcher):
            try expect(matcher, within: seconds)
        case .absent(let seconds, let matcher):
            try expectAbsent(matcher, for: seconds)
        case .control(let chair, let role, let line):
            mark = session?.events.count ?? 0
            let answer = try SocketLineConnection.controlRequest(line, at: try controlPath(chair, role))
            guard answer.hasPrefix("ok") else { throw RunnerFailure("the \(role.rawValue) simulator refused '\(line)': \(answer)") }
        case .unplug(let chair, let role), .replug(let chair, let role):
            mark = session?.events.count ?? 0
            let word = if case .unplug = action { "disconnect" } else { "reconnect" }
            let answer = try SocketLineConnection.controlRequest(word, at: try controlPath(chair, role))
            guard answer.hasPrefix("ok") else { throw RunnerFailure("\(word) refused: \(answer)") }
        case .follow(let chair, let enabled):
            guard let follower = followers[chair] else { throw RunnerFailure("no chair '\(chair)' in this scenario") }
            follower.isEnabled = enabled
        case .wait(let seconds):
            pass(seconds)
        case .waitReplay(let chair, let role, let seconds):
            let path = try controlPath(chair, role)
            var finished = false
            pass(seconds) {
                finished = (try? SocketLineConnection.controlRequest("state", at: path))?.contains("finished=true") ?? false
                return finished
            }
            guard finished else { throw RunnerFailure("the \(role.rawValue) recording of chair \(chair) did not finish in \(seconds) s") }
        case .final(let chair, let conditions):
            try checkFinal(chair: chair, conditions: conditions)
        }
    }

    private func requireEnvironment() throws(RunnerFailure) -> ScenarioEnvironment {
        guard let environment else { throw RunnerFailure("no environment") }
        return environment
    }

    private func requireSession() throws(RunnerFailure) -> DaemonSession {
        guard let session else { throw RunnerFailure("infusiond is not running: add 'start-daemon' first") }
        return session
    }

    private func controlPath(_ chair: String, _ role: DeviceRole) throws(RunnerFailure) -> String {
        guard scenario.chairs.contains(where: { $0.id == chair }) else { throw RunnerFailure("no chair '\(chair)' in this scenario") }
        return try requireEnvironment().controlPath(chair: chair, role: role)
    }

    /// Lets `seconds` pass while events are collected and patients follow their pumps.
    func pass(_ seconds: Double, until done: () -> Bool = { false }) {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            followers.values.forEach { $0.poll() }
            session?.drain(for: min(0.2, max(0, deadline.timeIntervalSinceNow)))
            if session == nil { usleep(UInt32(min(0.2, max(0, deadline.timeIntervalSinceNow)) * 1e6)) }
            if done() { return }
        } while Date() < deadline
    }

    var currentMark: Int { mark }
    var currentSession: DaemonSession? { session }
}
