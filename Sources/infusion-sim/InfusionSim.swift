import ArgumentParser

/// `infusion-sim`: protocol-faithful simulators of the pumps and monitors infusiond drives, each
/// behind a real pseudo-terminal.
@main
struct InfusionSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infusion-sim",
        abstract: "Simulated syringe pumps and patient monitors on pseudo-terminals, for tests and demos.",
        subcommands: [PumpCommand.self, MonitorCommand.self, ScenarioCommand.self, ReplayCommand.self, ReplayLinkCommand.self]
    )
}
