// Fuzz target: the configuration loader (DaemonConfiguration.load, compiled in from
// Sources/InfusionDaemon/Configuration), its --print-config rendering, and a chair core run under
// whatever configuration loads.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc
import InfusionCore

/// One file per fuzzing process, rewritten for every input.
private let configurationPath: String = {
    var template = Array("/tmp/infusiond-fuzz-config-XXXXXX".utf8CString)
    guard let directory = mkdtemp(&template) else { fatalError("fuzz support: mkdtemp failed") }
    return String(cString: directory) + "/infusiond.json"
}()

private func write(_ bytes: [UInt8], to path: String) {
    guard let file = fopen(path, "wb") else { fatalError("fuzz support: cannot write \(path)") }
    if !bytes.isEmpty { precondition(fwrite(bytes, 1, bytes.count, file) == bytes.count, "fuzz support: short write") }
    fclose(file)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func configLoaderFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    write(bytes(data, size), to: configurationPath)
    let configuration: DaemonConfiguration
    do {
        configuration = try DaemonConfiguration.load(path: configurationPath)
    } catch {
        require(!"\(error)".isEmpty, "an error without a description")
        return 0
    }

    // What --print-config shows loads back as the same configuration.
    let rendered: String
    do {
        rendered = try configuration.renderedJSON()
    } catch {
        fatalError("fuzz invariant broken: a loaded configuration does not render: \(error)")
    }
    write(Array(rendered.utf8), to: configurationPath)
    do {
        let again = try DaemonConfiguration.load(path: configurationPath)
        require(again == configuration, "--print-config output loads as a different configuration")
    } catch {
        fatalError("fuzz invariant broken: --print-config output does not load: \(error)")
    }
    require(configuration.socket.permissionBits != nil, "a mode that is not octal was accepted")

    // A chair under this configuration: intake on each profile (up to three), then a short infusion
    // at a low rate in the profile's own unit with its first concentration.
    for profile in configuration.core.library.profiles.prefix(3) {
        var probe = ChairProbe(configuration: configuration.core)
        guard probe.admit(profileID: profile.id) == true, let concentration = profile.concentrations.first else {
            probe.tick(seconds: 2)
            continue
        }
        let program = ProgramRequest(
            concentration: concentration, syringeVolume: .init(50), rate: DoseRate(0.5, profile.doseRateUnit))
        if probe.command(.program(program)) == true, probe.command(.start) == true {
            probe.run(seconds: 20, rate: 17.5)
            probe.command(.stop(reason: "fuzz"))
        }
        probe.tick(seconds: 2)
    }
    return 0
}
