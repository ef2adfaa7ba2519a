import ArgumentParser
import DeviceProtocols
import DeviceSimulators
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// `infusion-sim monitor`: one simulated patient monitor on a pty (docs/SIMULATORS.md).
struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Run a simulated patient monitor behind a pseudo-terminal linked at --pty.",
        discussion: """
            --time-scale accelerates the patient only; the monitor keeps its real protocol cadence so a
            real driver can talk to it. Flip faults or follow a pump through the control socket, e.g.
              echo 'fault sensor-off on' | socat - UNIX-CONNECT:/tmp/ttyMON.control
              echo 'infusion-rate 52.5' | socat - UNIX-CONNECT:/tmp/ttyMON.control
            """
    )

    /// The wire protocols with a monitor simulator.
    enum WireProtocol: String, ExpressibleByArgument, CaseIterable {
        case masimo
        case nonin
        case intellivue
    }

    enum Preset: String, ExpressibleByArgument, CaseIterable {
        case typical
        case hypertensive
    }

    enum NoninFormat: String, ExpressibleByArgument, CaseIterable {
        case df2
        case df8
    }

    enum MasimoLayout: String, ExpressibleByArgument, CaseIterable {
        case rad5
        case rad8
        case radical7
    }

    @Option(name: .customLong("protocol"), help: "Wire protocol: masimo (ASCII 1), nonin or intellivue (MIB/RS232).")
    var wireProtocol: WireProtocol

    @Option(help: "Path of the symlink to create for the pty slave, e.g. /tmp/ttyMON.")
    var pty: String

    @Option(help: "Path of the control socket (default: <pty>.control).")
    var control: String?

    @Option(help: "Patient seconds per real second (the device's own timing is not accelerated).")
    var timeScale: Double = 1

    @Option(help: "Patient preset: typical or hypertensive (crosses 180 mmHg with 0.5 mg/kg over 40 min).")
    var preset: Preset = .typical

    @Option(help: "File of '<minutes> <ng/mL>' lines: the plasma concentration to replay.")
    var concentrationScript: String?

    @Option(help: "Seed of the patient's measurement noise.")
    var seed: UInt64 = 1

    @Option(help: "Patient weight in kg, for the PK model behind the 'infusion-rate' control line.")
    var weight: Double = 70

    @Option(help: "Nonin serial format: df2 (75 frames/s) or df8 (1 record/s).")
    var noninFormat: NoninFormat = .df2

    @Option(help: "Masimo line layout: rad5, rad8 or radical7.")
    var masimoLayout: MasimoLayout = .radical7

    @Option(help: "IntelliVue only: seconds (real) between automatic cuff measurements (default 300).")
    var cuffInterval: Double?

    @Option(help: "A scripted SpO2 dip 'at,onset,hold,recovery,nadir': patient seconds from the start, and %.")
    var desaturation: String?

    func validate() throws {
        guard timeScale > 0, timeScale.isFinite else { throw ValidationError("--time-scale must be positive") }
        guard weight > 0, weight.isFinite else { throw ValidationError("--weight must be positive") }
        if let cuffInterval, !(cuffInterval > 0 && cuffInterval.isFinite) {
            throw ValidationError("--cuff-interval must be positive")
        }
        if let desaturation, Self.parseDesaturation(desaturation) == nil {
            throw ValidationError("--desaturation is 'at,onset,hold,recovery,nadir' (seconds, seconds, seconds, seconds, %)")
        }
    }

    /// `at,onset,hold,recovery,nadir` in patient seconds and %, e.g. `40,10,60,20,85`.
    static func parseDesaturation(_ text: String) -> SpO2Desaturation? {
        let numbers = text.split(separator: ",").compactMap { Double($0) }
        guard numbers.count == 5, numbers.allSatisfy({ $0 >= 0 && $0.isFinite }), numbers[4] <= 100 else { return nil }
        func seconds(_ value: Double) -> Duration { .milliseconds(Int64(value * 1000)) }
        return SpO2Desaturation(
            start: seconds(numbers[0]), onset: seconds(numbers[1]), hold: seconds(numbers[2]),
            recovery: seconds(numbers[3]), nadir: numbers[4])
    }

    func run() throws {
        var setup = MonitorSimulationSetup(timeScale: timeScale, seed: seed, weightKilograms: weight)
        setup.preset = preset == .typical ? .typical : .hypertensive
        setup.desaturations = desaturation.flatMap(Self.parseDesaturation).map { [$0] } ?? []
        if let concentrationScript {
            setup.concentration = try Self.loadScript(at: concentrationScript)
        }
        // The host's clock stays real time: only the patient runs faster (setup.timeScale).
        let options = SimulatorHostOptions(linkPath: pty, controlPath: control)
        switch wireProtocol {
        case .masimo:
            var settings = MasimoSimulationSettings()
            settings.layout = MasimoLineLayout(rawValue: masimoLayout.rawValue) ?? .radical7
            try serve(MasimoSimulator(settings: settings, state: setup.simulation()), options: options)
        case .nonin:
            let format: NoninDataFormat = noninFormat == .df2 ? .format2 : .format8
            try serve(NoninSimulator(format: format, state: setup.simulation()), options: options)
        case .intellivue:
            var settings = IntelliVueSimulationSettings()
            if let cuffInterval { settings.bloodPressureInterval = .milliseconds(Int64(cuffInterval * 1000)) }
            try serve(IntelliVueSimulator(settings: settings, state: setup.simulation()), options: options)
        }
    }

    private func serve<Device: ControllableDevice>(_ device: Device, options: SimulatorHostOptions) throws {
        let host = try SimulatorHost(device: device, options: options)
        // One line on stdout once the link exists, so scripts can wait for it.
        let banner =
            "infusion-sim: \(wireProtocol.rawValue) monitor on \(host.slavePath ?? "?") linked at \(pty); control \(options.controlPath)\n"
        _ = Array(banner.utf8).withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        try host.run()
    }

    private static func loadScript(at path: String) throws -> ConcentrationScript {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ValidationError("cannot read --concentration-script \(path): \(error)")
        }
        do {
            return try ConcentrationScript(parsing: String(decoding: data, as: UTF8.self))
        } catch {
            throw ValidationError("--concentration-script \(path): \(error)")
        }
    }
}

