import ArgumentParser
import DeviceProtocols
import DeviceSimulators
#if canImport(Glibc)
import Glibc
#endif

/// `infusion-sim pump`: one simulated syringe pump on a pty (docs/SIMULATORS.md).
struct PumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pump",
        abstract: "Run a simulated syringe pump behind a pseudo-terminal linked at --pty.",
        discussion: """
            Flip fault switches while it runs through the control socket (default <pty>.control), e.g.
              echo 'fault occlusion on' | socat - UNIX-CONNECT:/tmp/ttyPUMP.control
            """
    )

    /// The wire protocols with a pump simulator.
    enum WireProtocol: String, ExpressibleByArgument, CaseIterable {
        case newera
        case harvard
    }

    @Option(name: .customLong("protocol"), help: "Wire protocol: newera (NE-1000 family) or harvard (Pump 11 Elite).")
    var wireProtocol: WireProtocol

    @Option(help: "Path of the symlink to create for the pty slave, e.g. /tmp/ttyPUMP.")
    var pty: String

    @Option(help: "Path of the control socket (default: <pty>.control).")
    var control: String?

    @Option(help: "Simulated seconds per real second.")
    var timeScale: Double = 1

    @Option(help: "Syringe inside diameter in mm (default: BD 60 mL, 26.59 mm).")
    var syringeDiameter: Double = 26.59

    @Option(help: "Volume loaded in the syringe in mL; the plunger stalls at the end of it.")
    var syringeVolume: Double = 50

    @Option(help: "Pump address on the daisy chain, 0-99.")
    var address: UInt8 = 0

    @Option(help: "Seed of the random bytes the noise fault writes.")
    var seed: UInt64 = 1

    func validate() throws {
        guard timeScale > 0, timeScale.isFinite else { throw ValidationError("--time-scale must be positive") }
        guard syringeDiameter > 0, syringeVolume > 0 else { throw ValidationError("syringe sizes must be positive") }
        guard address <= 99 else { throw ValidationError("--address must be 0-99") }
    }

    func run() throws {
        let options = SimulatorHostOptions(linkPath: pty, controlPath: control, timeScale: timeScale)
        switch wireProtocol {
        case .newera:
            let configuration = NewEraPumpSimulator.Configuration(
                address: address,
                diameterMillimetres: syringeDiameter,
                loadedMillilitres: syringeVolume,
                noiseSeed: seed
            )
            try serve(NewEraPumpSimulator(configuration: configuration), options: options)
        case .harvard:
            let configuration = HarvardPumpSimulator.Configuration(
                address: address,
                diameterMillimetres: syringeDiameter,
                loadedMillilitres: syringeVolume,
                noiseSeed: seed
            )
            try serve(HarvardPumpSimulator(configuration: configuration), options: options)
        }
    }

    private func serve<Device: ControllableDevice>(
        _ device: Device,
        options: SimulatorHostOptions
    ) throws {
        let host = try SimulatorHost(device: device, options: options)
        // One line on stdout once the link exists, so scripts can wait for it.
        let banner = "infusion-sim: \(wireProtocol.rawValue) pump on \(host.slavePath ?? "?") linked at \(pty); control \(options.controlPath)\n"
        _ = Array(banner.utf8).withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        try host.run()
    }
}
