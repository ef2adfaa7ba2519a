import ArgumentParser
import Foundation
import ScenarioRunner

/// `infusion-sim scenario FILE...`: plays scripted clinical timelines against infusiond on
/// simulated devices and checks what happens (docs/SCENARIOS.md). Exits 0 when every scenario
/// passes, 1 at the first failed expectation (with a report), 2 for an unreadable file.
struct ScenarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario",
        abstract: "Run scenario files: simulators on ptys, infusiond, a scripted timeline and its expectations."
    )

    @Argument(help: "Scenario files (Scenarios/*.scenario).")
    var files: [String]

    @Option(help: "The infusiond executable (default: next to infusion-sim).")
    var daemon: String?

    @Flag(help: "Keep the scratch directory (logs, generated configuration) after the run.")
    var keep = false

    @Flag(help: "Print only failures and the final verdict.")
    var quiet = false

    func run() throws {
        let simulator = ExecutableLocation.currentExecutable()
        var options = ScenarioRunner.Options(
            simulatorPath: simulator, daemonPath: daemon ?? ExecutableLocation.sibling("infusiond", of: simulator))
        options.keepDirectory = keep
        options.verbose = !quiet
        for file in files {
            let scenario: Scenario
            do {
                let text = try String(contentsOfFile: file, encoding: .utf8)
                scenario = try ScenarioParser.parse(text)
            } catch {
                print("\(file): \(error)")
                throw ExitCode(2)
            }
            var fileOptions = options
            fileOptions.baseDirectory = URL(fileURLWithPath: file).deletingLastPathComponent().path
            let outcome = ScenarioRunner(scenario: scenario, options: fileOptions).run()
            if let failure = outcome.failure {
                if quiet { print(failure) }
                print("\(file): FAILED")
                throw ExitCode(1)
            }
            if quiet { print("\(file): passed") }
        }
    }
}

/// Finds sibling executables: `swift build` puts infusiond next to infusion-sim.
enum ExecutableLocation {
    static func currentExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    static func sibling(_ name: String, of executable: String) -> String {
        URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent(name).path
    }
}
