import Foundation
import Testing

/// Every clinical scenario in Scenarios/ played through the built `infusion-sim scenario` against
/// the built infusiond (simulators on ptys, real sockets), and proof that the runner really fails.
@Suite("Scenarios") struct ScenarioTests {
    /// The scenario files that run in CI: every file in Scenarios/.
    static let files = [
        "standard-depression", "hypertensive-responder", "spo2-desaturation", "pump-occlusion",
        "syringe-change", "monitor-unplugged", "conflicting-operators", "daemon-restart",
    ]

    /// Runs `infusion-sim ARGUMENTS`; every line it received from infusiond is validated against the wire
    /// schema (`INFUSION_SIM_WIRE_LOG`, `WireSchema`).
    static func run(
        _ arguments: String, timeout: Double = 400,
        fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column
    ) throws -> CommandOutcome {
        let scratch = try ScratchDirectory()
        let wireLog = scratch.file("wire.jsonl")
        // Scenarios wait in real time; a loaded CI machine gets a generous ceiling, never a tight one.
        let outcome = try Shell.run(
            "'\(BuiltProducts.path("infusion-sim"))' \(arguments)", environment: ["INFUSION_SIM_WIRE_LOG": wireLog], timeout: timeout)
        let lines = ((try? String(contentsOfFile: wireLog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        WireSchema.check(lines, from: "infusion-sim \(arguments.prefix(200))", fileID: fileID, filePath: filePath, line: line, column: column)
        return outcome
    }

    @Test(arguments: files)
    func scenarioPasses(_ name: String) throws {
        let file = BuiltProducts.packageRoot.appendingPathComponent("Scenarios/\(name).scenario").path
        let outcome = try Self.run("scenario --quiet '\(file)'")
        #expect(outcome.status == 0, "\(name):\n\(outcome.stdout)\(outcome.stderr)")
        #expect(outcome.stdout.contains("passed"), "\(outcome.stdout)")
    }

    @Test func everyScenarioFileIsListed() throws {
        let directory = BuiltProducts.packageRoot.appendingPathComponent("Scenarios").path
        let present = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".scenario") }.map { String($0.dropLast(".scenario".count)) }
        #expect(Set(present) == Set(Self.files), "every scenario file runs in CI: \(present)")
    }

    /// A scenario that expects a wrong pump rate fails at that line, with the reason and exit 1.
    @Test func runnerFailsOnAWrongExpectation() throws {
        let file = BuiltProducts.packageRoot.appendingPathComponent("Tests/Fixtures/scenarios/wrong-expectation.scenario").path
        let outcome = try Self.run("scenario --quiet '\(file)'")
        #expect(outcome.status == 1, "\(outcome.stdout)")
        #expect(outcome.stdout.contains("line 10: expect 5 pump.readback chair=1 state=infusing rateMillilitresPerHour=9.99"))
        #expect(outcome.stdout.contains("no event 'pump.readback chair=1 state=infusing rateMillilitresPerHour=9.99' within 5.0 s"))
        #expect(!outcome.stdout.contains("line 11"), "the runner stops at the first failure")
    }

    /// A scenario with a syntax error is refused before anything starts (exit 2, the line named).
    @Test func malformedScenarioIsRefused() throws {
        let scratch = try ScratchDirectory()
        let file = scratch.file("bad.scenario")
        try "chair 1 pump=newera monitor=intellivue\nexpect soon alarm.raised\n".write(toFile: file, atomically: true, encoding: .utf8)
        let outcome = try Self.run("scenario '\(file)'", timeout: 30)
        #expect(outcome.status == 2)
        #expect(outcome.stdout.contains("line 2: expected a number of seconds, got 'soon'"), "\(outcome.stdout)")
    }
}

/// The recorded Masimo session replayed into infusiond: its normalised event stream must match the
/// golden file, and a changed golden file must be reported as a difference.
@Suite("Replay") struct ReplayTests {
    static let session = BuiltProducts.packageRoot.appendingPathComponent("Tests/Fixtures/replay/masimo-heart-rate.replay").path

    @Test func recordedSessionReplaysWithoutDifference() throws {
        let outcome = try ScenarioTests.run("replay --quiet '\(Self.session)'")
        #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
        #expect(outcome.stdout.contains("events match"))
    }

    @Test func aDifferentGoldenFileIsReported() throws {
        let scratch = try ScratchDirectory()
        let golden = BuiltProducts.packageRoot.appendingPathComponent("Tests/Fixtures/replay/masimo-heart-rate.golden").path
        let altered = try String(contentsOfFile: golden, encoding: .utf8)
            .replacingOccurrences(of: #""condition":"heartRateHigh""#, with: #""condition":"systolicHigh""#)
        let path = scratch.file("altered.golden")
        try altered.write(toFile: path, atomically: true, encoding: .utf8)
        let outcome = try ScenarioTests.run("replay --quiet '\(Self.session)' --golden '\(path)'")
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("events differ"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains(#"+ {"data":{"chair":"1","detail":{"category":"physiological","condition":"heartRateHigh""#))
    }
}
