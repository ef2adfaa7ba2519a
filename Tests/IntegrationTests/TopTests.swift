import Foundation
import Testing

/// `infusionctl top` against a real daemon driving simulated devices.
@Suite(.serialized)
struct TopTests {
    /// A chair infusing at 5.25 mL/h (the standard programme) with vitals flowing.
    private func infusingChair() throws -> SimulatedChair {
        let chair = try SimulatedChair()
        let client = try chair.client()
        defer { client.close() }
        try chair.admitAndProgram(client)
        let start = try chair.startWhenBaselineIsIn(client)
        guard start.ok else { throw Failure("start: \(start)") }
        return chair
    }

    @Test func oncePrintsTheChairsRateAndVitalsAsPlainText() throws {
        let chair = try infusingChair()
        // A monitor reports each cuff reading once, when taken (every 5 min by default), so press its
        // Start NBP key a second into the 3-s gathering window for a reading the dashboard can see.
        let pressStartNBP = "sleep 1; echo nibp-start | socat -t 2 - UNIX-CONNECT:'\(chair.monitorPath).control' >/dev/null"
        let outcome = try Shell.run(
            "(\(pressStartNBP)) & '\(BuiltProducts.path("infusionctl"))' top --once --gather 3 --socket '\(chair.daemon.socketPath)'; wait",
            timeout: 20)
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("Chair 1: infusing"))
        #expect(outcome.stdout.contains("5.25 mL/h"))
        #expect(outcome.stdout.contains("SpO2"))
        #expect(outcome.stdout.contains("NIBP"))
        #expect(outcome.stdout.contains("Links: monitor up, pump up"))
        #expect(!outcome.stdout.contains("\u{1B}["), "plain text has no escape sequences")
    }

    @Test func onceFailsWithTheUnreachableStatusWithoutADaemon() throws {
        let scratch = try ScratchDirectory()
        let outcome = try Shell.run(
            "'\(BuiltProducts.path("infusionctl"))' top --once --socket '\(scratch.file("none.sock"))'", timeout: 10)
        #expect(outcome.status == 69)
    }
}
