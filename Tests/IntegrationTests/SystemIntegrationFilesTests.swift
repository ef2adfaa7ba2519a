import Foundation
import Testing

/// The systemd unit and udev rules, checked by the real systemd tools.
@Suite("systemd unit and udev rules") struct SystemIntegrationFilesTests {
    /// `systemd-analyze verify` exits 0 even on unknown keys and bad values, so any output fails
    /// (docs/DEVICE-BASIS.md §10.3). ExecStart must exist: it points at the build.
    /// The units with ExecStart pointing at the build, in a scratch directory.
    private func testableUnits(_ scratch: ScratchDirectory) throws -> (service: String, socket: String) {
        let root = BuiltProducts.packageRoot.appendingPathComponent("systemd")
        let unit = try String(contentsOf: root.appendingPathComponent("infusiond.service"), encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/local/bin/infusiond "))
        let testable = unit.replacingOccurrences(
            of: "ExecStart=/usr/local/bin/infusiond", with: "ExecStart=\(BuiltProducts.path("infusiond"))")
        try testable.write(toFile: scratch.file("infusiond.service"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(
            atPath: root.appendingPathComponent("infusiond.socket").path, toPath: scratch.file("infusiond.socket"))
        return (scratch.file("infusiond.service"), scratch.file("infusiond.socket"))
    }

    @Test func unitsVerifyWithoutAnyOutput() throws {
        let scratch = try ScratchDirectory()
        let units = try testableUnits(scratch)
        let out = try Shell.run("systemd-analyze verify \(units.service) \(units.socket) 2>&1")
        #expect(out.status == 0)
        #expect(out.stdout.isEmpty, "systemd-analyze verify printed:\n\(out.stdout)")
        let service = try String(contentsOfFile: units.service, encoding: .utf8)
        for setting in ["Type=notify", "WatchdogSec=", "Restart=on-failure", "User=infusiond", "RuntimeDirectory=infusiond",
                        "StateDirectory=infusiond", "ProtectSystem=strict", "RestrictAddressFamilies=AF_UNIX AF_NETLINK",
                        "DevicePolicy=closed", "LimitRTPRIO=", "LimitNICE=", "LimitMEMLOCK="] {
            #expect(service.contains(setting), "\(setting) missing")
        }
    }

    /// The README promises an exposure of 3.0 or less (the threshold is on a 0–100 scale).
    @Test func securityExposureIsAtMostThree() throws {
        let scratch = try ScratchDirectory()
        let units = try testableUnits(scratch)
        let out = try Shell.run("systemd-analyze security --offline=true --threshold=30 \(units.service) 2>&1")
        #expect(out.status == 0, "\(out.stdout.split(separator: "\n").suffix(3))")
        let line = out.stdout.split(separator: "\n").last { $0.contains("Overall exposure level") } ?? ""
        let score = line.split(separator: " ").compactMap { Double($0) }.first ?? 99
        #expect(score <= 3.0, "\(line)")
    }

    /// The HL7 bridge's unit (docs/INTEGRATION.md): verified without output, exposure at most 3.0, loopback only.
    @Test func theBridgeUnitVerifiesAndIsHardened() throws {
        let scratch = try ScratchDirectory()
        let root = BuiltProducts.packageRoot.appendingPathComponent("systemd")
        let unit = try String(contentsOf: root.appendingPathComponent("infusion-hl7.service"), encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/local/bin/infusion-hl7 "))
        let path = scratch.file("infusion-hl7.service")
        try unit.replacingOccurrences(
            of: "ExecStart=/usr/local/bin/infusion-hl7", with: "ExecStart=\(BuiltProducts.path("infusion-hl7"))"
        ).write(toFile: path, atomically: true, encoding: .utf8)
        let verify = try Shell.run("systemd-analyze verify \(path) 2>&1")
        #expect(verify.status == 0 && verify.stdout.isEmpty, "systemd-analyze verify printed:\n\(verify.stdout)")
        for setting in ["User=infusion-hl7", "SupplementaryGroups=infusiond", "StateDirectory=infusion-hl7",
                        "Restart=always", "IPAddressDeny=any", "IPAddressAllow=localhost", "CapabilityBoundingSet=\n"] {
            #expect(unit.contains(setting), "\(setting) missing")
        }
        let security = try Shell.run("systemd-analyze security --offline=true --threshold=30 \(path) 2>&1")
        let line = security.stdout.split(separator: "\n").last { $0.contains("Overall exposure level") } ?? ""
        let score = line.split(separator: " ").compactMap { Double($0) }.first ?? 99
        #expect(security.status == 0 && score <= 3.0, "\(line)")
    }

    /// The central station's unit, with ExecStart pointing at the build: verifies silently and is hardened
    /// as far as infusiond's (docs/CENTRAL-STATION.md).
    @Test func centralStationUnitVerifiesAndIsHardened() throws {
        let scratch = try ScratchDirectory()
        let unit = try String(
            contentsOf: BuiltProducts.packageRoot.appendingPathComponent("systemd/infusion-web.service"), encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/local/bin/infusion-web "))
        #expect(unit.contains("--listen 127.0.0.1:"), "loopback by default")
        let testable = unit.replacingOccurrences(
            of: "ExecStart=/usr/local/bin/infusion-web", with: "ExecStart=\(BuiltProducts.path("infusion-web"))")
        let path = scratch.file("infusion-web.service")
        try testable.write(toFile: path, atomically: true, encoding: .utf8)
        let verify = try Shell.run("systemd-analyze verify \(path) 2>&1")
        #expect(verify.status == 0 && verify.stdout.isEmpty, "systemd-analyze verify printed:\n\(verify.stdout)")
        let security = try Shell.run("systemd-analyze security --offline=true --threshold=30 \(path) 2>&1")
        #expect(security.status == 0, "\(security.stdout.split(separator: "\n").suffix(3))")
        let line = security.stdout.split(separator: "\n").last { $0.contains("Overall exposure level") } ?? ""
        let score = line.split(separator: " ").compactMap { Double($0) }.first ?? 99
        #expect(score <= 3.0, "\(line)")
    }

    @Test func socketActivationHandsTheDaemonItsListeningSocket() throws {
        let scratch = try ScratchDirectory()
        let socket = scratch.file("activated.sock")
        let activator = Process()
        activator.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-socket-activate")
        activator.arguments = ["-l", socket, BuiltProducts.path("infusiond"), "--socket", scratch.file("unused.sock"),
                               "--state-dir", scratch.file("state")]
        activator.standardError = FileHandle.nullDevice
        activator.standardOutput = FileHandle.nullDevice
        try activator.run()
        let deadline = Date().addingTimeInterval(5)
        while !FileManager.default.fileExists(atPath: socket), Date() < deadline { usleep(20_000) }
        let client = try LineClient(path: socket)
        defer { client.close() }
        try client.readHello()
        let status = try client.request(#"{"cmd":"status","id":"sa"}"#)
        #expect(status["id"] as? String == "sa")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("unused.sock")), "the passed socket was used")
        // systemd-socket-activate execs the daemon in a child; stop it by the pid it reports.
        let pid = try #require(status.result["pid"] as? Int32)
        kill(pid, SIGTERM)
        #expect(try client.readJSON()["event"] as? String == "shutdown")
        kill(activator.processIdentifier, SIGKILL)
        activator.waitUntilExit()
    }

    @Test func installAndUninstallIntoADestdir() throws {
        let scratch = try ScratchDirectory()
        let root = BuiltProducts.packageRoot.path
        let install = try Shell.run(
            "\(root)/scripts/install --destdir \(scratch.path) --bin-dir \(BuiltProducts.directory.path)", timeout: 60)
        #expect(install.status == 0, "\(install.stderr)")
        for file in ["usr/local/bin/infusiond", "usr/local/bin/infusionctl", "usr/local/bin/infusion-sim",
                     "usr/local/bin/infusion-web", "etc/systemd/system/infusion-web.service",
                     "etc/systemd/system/infusiond.service", "etc/systemd/system/infusiond.socket",
                     "etc/udev/rules.d/60-infusiond.rules", "etc/infusiond/infusiond.json",
                     "usr/local/bin/infusion-hl7", "etc/systemd/system/infusion-hl7.service",
                     "etc/infusion-hl7/infusion-hl7.json"] {
            #expect(FileManager.default.fileExists(atPath: scratch.file(file)), "\(file) installed")
        }
        let config = try Shell.run("\(scratch.file("usr/local/bin/infusiond")) --config \(scratch.file("etc/infusiond/infusiond.json")) --print-config")
        #expect(config.status == 0, "the installed configuration is valid: \(config.stderr)")
        let bridgeConfig = try Shell.run(
            "\(scratch.file("usr/local/bin/infusion-hl7")) --config \(scratch.file("etc/infusion-hl7/infusion-hl7.json")) --print-config")
        #expect(bridgeConfig.status == 0, "the installed bridge configuration is valid: \(bridgeConfig.stderr)")
        // Installing again changes nothing a site set.
        try "{\"observationPeriodSeconds\":30}".write(
            toFile: scratch.file("etc/infusion-hl7/infusion-hl7.json"), atomically: true, encoding: .utf8)
        let again = try Shell.run(
            "\(root)/scripts/install --destdir \(scratch.path) --bin-dir \(BuiltProducts.directory.path)", timeout: 60)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try String(contentsOfFile: scratch.file("etc/infusion-hl7/infusion-hl7.json"), encoding: .utf8).contains("30"))
        let uninstall = try Shell.run("\(root)/scripts/uninstall --destdir \(scratch.path)")
        #expect(uninstall.status == 0)
        #expect(!FileManager.default.fileExists(atPath: scratch.file("usr/local/bin/infusiond")))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("usr/local/bin/infusion-hl7")))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("etc/systemd/system/infusion-web.service")))
        #expect(FileManager.default.fileExists(atPath: scratch.file("etc/infusiond/infusiond.json")), "configuration kept")
    }

    @Test func verifyCatchesABrokenUnit() throws {
        let scratch = try ScratchDirectory()
        let broken = """
            [Service]
            Type=notify
            ExecStart=\(BuiltProducts.path("infusiond"))
            WatchdogSecs=10
            """
        try broken.write(toFile: scratch.file("broken.service"), atomically: true, encoding: .utf8)
        let out = try Shell.run("systemd-analyze verify \(scratch.file("broken.service")) 2>&1")
        #expect(out.stdout.contains("Unknown key"), "the check above would notice a typo: \(out.stdout)")
    }

    private func udevTest(_ fixture: String) throws -> String {
        let root = BuiltProducts.packageRoot.path
        _ = try Shell.run("getent group infusiond >/dev/null || groupadd --system infusiond")
        let out = try Shell.run(
            "\(root)/Tests/Fixtures/udev/udev-test-sandboxed \(root)/udev-rules/60-infusiond.rules "
                + "\(root)/Tests/Fixtures/udev/\(fixture).umockdev /sys/class/tty/ttyUSB0")
        #expect(out.status == 0, "\(out.stderr)")
        return out.stdout
    }

    @Test(arguments: [("ftdi-pump", "ftdi-A10K4Q7B"), ("cp210x-monitor", "cp210x-0001")])
    func rulesClaimKnownBridges(fixture: String, link: String) throws {
        let output = try udevTest(fixture)
        let ours = output.split(separator: "\n").filter { $0.contains("60-infusiond.rules") }
        #expect(!ours.isEmpty, "the rules file was read: \(output)")
        #expect(!ours.contains { $0.contains("Invalid") || $0.contains("Unknown") || $0.contains("ignoring") }, "\(ours)")
        let gid = try Shell.run("getent group infusiond | cut -d: -f3").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(ours.contains { $0.hasSuffix(" GROUP \(gid)") }, "the node goes to the infusiond group: \(ours)")
        #expect(output.contains("MODE 0660"))
        #expect(output.contains("LINK 'infusiond/\(link)'"))
        #expect(output.contains("SYSTEMD_WANTS=infusiond.service\n"), "infusiond's unit alone is wanted")
        // scripts/setup installs gpsd (scripts/bench's peer), whose 60-gpsd.rules claims CP210x bridges for its hotplug.
        #expect(!output.contains("SYSTEMD_WANTS=gpsdctl"), "a claimed port is not handed to gpsd as well")
        #expect(output.contains("TAGS=") && output.contains(":systemd:"))
    }

    @Test func rulesLeaveOtherDevicesAlone() throws {
        let output = try udevTest("unrelated")
        #expect(output.contains("Reading rules file: /run/udev/rules.d/60-infusiond.rules"))
        #expect(!output.contains("INFUSIOND"), "\(output)")
        #expect(!output.contains("SYSTEMD_WANTS=infusiond.service"))
    }
}
