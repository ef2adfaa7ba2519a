import Foundation
import Testing

/// `infusionctl top` in a real terminal: tmux runs it in a 120×40 window, the test reads the screen
/// with `capture-pane` and types with `send-keys`.
@Suite(.serialized)
struct TopScreenTests {
    /// The heart-rate rule with no alarm-condition delay, so the alarm follows the first reading over
    /// the limit and the test measures the display path (the clinical 10 s delay is the core's, tested
    /// there). No cuff baseline is needed: the Nonin oximeter measures no blood pressure.
    private static let coreConfiguration = """
        {"requireBaselineBloodPressure":false,
         "vitalAlarmRules":[{"condition":"heartRateHigh","parameters":["ecgHeartRate","pulseRate"],
           "medium":{"comparison":"atOrAbove","limit":110,"delaySeconds":0},
           "high":{"comparison":"atOrAbove","limit":130,"delaySeconds":0}}]}
        """

    /// A chair infusing with a Nonin oximeter, which reports pulse three times a second, so a crossing
    /// reaches the daemon within a third of a second. The patient runs 1200× faster than the monitor,
    /// so a held plasma concentration moves the heart rate within a tenth of a second.
    private func infusingChair() throws -> SimulatedChair {
        let chair = try SimulatedChair(
            monitorProtocol: "nonin", preset: "hypertensive", timeScale: 1_200, coreConfiguration: Self.coreConfiguration)
        let client = try chair.client()
        defer { client.close() }
        try chair.admitAndProgram(client)
        let deadline = Date().addingTimeInterval(30)
        while true {
            let start = try client.request(#"{"cmd":"start","chair":"1"}"#)
            if start.ok { return chair }
            let waiting = ["monitor-link-down", "pump-link-down", "vitals-stale", "syringe-not-confirmed"].contains(start.errorCode ?? "")
            guard waiting, Date() < deadline else { throw Failure("start: \(start)") }
            usleep(200_000)
        }
    }

    /// The pane's shell (tmux runs the line with `sh -c`) runs `top`, then reports its exit status and
    /// whether the terminal is back in cooked mode (canonical input and echo), on the normal screen.
    private func top(_ socket: String, as prefix: String = "") -> String {
        let run = "\(prefix)'\(BuiltProducts.path("infusionctl"))' top --socket '\(socket)'"
        let modes = #"stty -a | grep -q " icanon" && stty -a | grep -q " echo " && echo cooked || echo raw"#
        return #"\#(run); echo "top exited $?"; \#(modes)"#
    }

    @Test func showsVitalsAndRateThenAnAlarmWithinOneSecondUntilAcknowledgedAndRecovered() throws {
        let chair = try infusingChair()
        let tmux = try TmuxSession(scratch: chair.scratch, command: top(chair.daemon.socketPath))
        try tmux.waitForScreen(timeout: 30, "the infusing chair with pulse and rate") { screen in
            screen.contains("Chair 1: infusing") && screen.contains("5.25 mL/h") && screen.contains("Pulse")
                && screen.contains("SpO2") && screen.contains("role admin")
        }
        #expect(!(try tmux.screen()).contains("heartRateHigh"))

        // The patient's heart rate crosses 110/min as soon as the simulator holds a high concentration.
        let monitor = try LineClient(path: chair.monitorPath + ".control")
        defer { monitor.close() }
        let told = ContinuousClock.now
        try monitor.send("concentration 3000\n")
        let (_, seen) = try tmux.waitForScreen(timeout: 20, "the heart-rate alarm") { $0.contains("heartRateHigh (") }
        let latency = seen - told
        #expect(latency <= .seconds(1), "alarm on screen \(latency) after the simulator was told to cross")
        #expect(try monitor.readLine()?.hasPrefix("ok") == true)

        // Audio pause, then acknowledgement, from the keyboard (this connection is root: admin).
        try tmux.waitForScreen(timeout: 20, "the alarm at high priority") { $0.contains("*** heartRateHigh (high)") }
        try tmux.sendKeys("s")
        try tmux.waitForScreen(timeout: 20, "the audio pause's answer") { $0.contains("audio pause, chair 1: done") }
        try tmux.waitForScreen(timeout: 20, "the audio pause") { $0.contains("heartRateHigh (high) audio paused, 1") }
        try tmux.sendKeys("a")
        try tmux.waitForScreen(timeout: 20, "the acknowledgement") { $0.contains("heartRateHigh (high) acknowledged") }

        // The vital recovers: the acknowledged alarm leaves the active list.
        try monitor.send("concentration 0\n")
        try tmux.waitForScreen(timeout: 60, "the alarm gone after recovery") { !$0.contains("heartRateHigh") }

        try tmux.sendKeys("q")
        try expectShellAfterTop(tmux, exitStatus: 0)
    }

    @Test func viewerIsToldWhyKeysNeedTheOperatorAndTheScreenFollowsResizeHelpAndTermination() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch, config: #"{"socket":{"group":"nogroup"},"chairs":[{"id":"1"},{"id":"2"}]}"#)
        let nobody = "setpriv --reuid=65534 --regid=65534 --clear-groups "
        let tmux = try TmuxSession(scratch: scratch, command: top(daemon.socketPath, as: nobody))
        try tmux.waitForScreen(timeout: 30, "both chairs for a viewer") { screen in
            screen.contains("role viewer") && screen.contains(">Chair 1: idle") && screen.contains(" Chair 2: idle")
        }

        try tmux.sendKeys("Tab")
        try tmux.waitForScreen(timeout: 10, "chair 2 chosen") { $0.contains(">Chair 2: idle") && $0.contains(" Chair 1: idle") }
        try tmux.sendKeys("a")
        try tmux.waitForScreen(timeout: 10, "why acknowledging is refused") {
            $0.contains("acknowledge needs the operator role; this connection is viewer")
        }
        try tmux.sendKeys("s")
        try tmux.waitForScreen(timeout: 10, "why the audio pause is refused") {
            $0.contains("audio pause needs the operator role; this connection is viewer")
        }
        try tmux.sendKeys("?")
        try tmux.waitForScreen(timeout: 10, "the key help") { $0.contains("Keys:") && !$0.contains("Chair 1") }
        try tmux.sendKeys("?")
        try tmux.waitForScreen(timeout: 10, "the panels again") { $0.contains("Chair 1") && !$0.contains("Keys:") }

        try tmux.resize(width: 50, height: 12)
        let narrow = try tmux.waitForScreen(timeout: 10, "the picture redrawn to 50 columns") { screen in
            screen.contains("infusiond 0.1.0 | connected | role viewer") && !screen.contains("q quit")
        }.screen
        #expect(narrow.split(separator: "\n").allSatisfy { $0.count <= 50 }, "\(narrow)")

        // Killed (as a closing terminal or a crash's signal does): the terminal is restored all the same.
        let shell = try tmux.paneFormat("#{pane_pid}")
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        let top = try #require(children.split(separator: " ").first.flatMap { pid_t($0) })
        #expect(kill(top, SIGTERM) == 0)
        try expectShellAfterTop(tmux, exitStatus: 128 + SIGTERM)
    }

    /// After `top` ended, the pane's shell printed its status and found the terminal cooked; the
    /// dashboard is gone from the screen (the alternate screen was left). The whole history is read:
    /// tmux scrolls the pane by a line to print "Pane is dead".
    private func expectShellAfterTop(_ tmux: TmuxSession, exitStatus: Int32) throws {
        let after = try tmux.waitForScreen(timeout: 20, "the shell after top") { $0.contains("cooked") || $0.contains("raw") }
        let history = try tmux.screen(history: true)
        #expect(history.contains("top exited \(exitStatus)\ncooked\n"), "\(history)")
        #expect(!history.contains("Chair 1"), "the alternate screen is left: \(history)")
        #expect(!after.screen.contains("\u{1B}"))
        #expect(try tmux.paneFormat("#{alternate_on}") == "0")
    }
}
