import ArgumentParser
import Foundation
import ScenarioRunner

/// `infusion-sim replay SESSION`: plays recorded device links back through ptys to infusiond (as
/// gpsd's gpsfake does), captures every event the daemon emits, normalises the stream and compares
/// it with a golden file (docs/SCENARIOS.md). Exits 0 when they match, 1 on a difference or a
/// failed step.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay recorded device links into infusiond and diff its events against a golden file."
    )

    @Argument(help: "A replay session: a scenario file whose chairs use pump-replay= / monitor-replay=.")
    var session: String

    @Option(help: "The golden event file (default: SESSION with the extension .golden).")
    var golden: String?

    @Flag(help: "Write the golden file from this run instead of comparing.")
    var updateGolden = false

    @Option(help: "The infusiond executable (default: next to infusion-sim).")
    var daemon: String?

    @Flag(help: "Print only failures and the verdict.")
    var quiet = false

    func run() throws {
        let scenario = try ScenarioParser.parse(try String(contentsOfFile: session, encoding: .utf8))
        let simulator = ExecutableLocation.currentExecutable()
        var options = ScenarioRunner.Options(
            simulatorPath: simulator, daemonPath: daemon ?? ExecutableLocation.sibling("infusiond", of: simulator))
        options.verbose = !quiet
        options.baseDirectory = URL(fileURLWithPath: session).deletingLastPathComponent().path
        let outcome = ScenarioRunner(scenario: scenario, options: options).run()
        if let failure = outcome.failure {
            if quiet { print(failure) }
            throw ExitCode(1)
        }
        let normalised = EventNormaliser.normalise(outcome.events, scratchDirectory: outcome.directory).joined(separator: "\n") + "\n"
        let goldenPath = golden ?? (URL(fileURLWithPath: session).deletingPathExtension().path + ".golden")
        if updateGolden {
            try normalised.write(toFile: goldenPath, atomically: true, encoding: .utf8)
            print("replay: wrote \(goldenPath)")
            return
        }
        let expected = (try? String(contentsOfFile: goldenPath, encoding: .utf8)) ?? ""
        let difference = LineDiff.describe(expected: expected, actual: normalised)
        guard let difference else {
            print("replay: events match \(goldenPath)")
            return
        }
        print("replay: events differ from \(goldenPath) (--update-golden rewrites it):\n\(difference)")
        throw ExitCode(1)
    }
}
