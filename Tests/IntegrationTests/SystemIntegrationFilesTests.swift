import Foundation
import Testing

/// The systemd unit and udev rules, checked by the real systemd tools.
@Suite("systemd unit and udev rules") struct SystemIntegrationFilesTests {
    /// `systemd-analyze verify` exits 0 even on unknown keys and bad values, so any output fails
    /// (shared/reference/test-harness.md section 4). ExecStart must exist: it points at the build.
    @Test func serviceUnitVerifiesWithoutAnyOutput() throws {
        let scratch = try ScratchDirectory()
        let unit = try String(
            contentsOf: BuiltProducts.packageRoot.appendingPathComponent("systemd/infusiond.service"), encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/local/bin/infusiond "))
        #expect(unit.contains("Type=notify"))
        let testable = unit.replacingOccurrences(
            of: "ExecStart=/usr/local/bin/infusiond", with: "ExecStart=\(BuiltProducts.path("infusiond"))")
        try testable.write(toFile: scratch.file("infusiond.service"), atomically: true, encoding: .utf8)
        let out = try Shell.run("systemd-analyze verify \(scratch.file("infusiond.service")) 2>&1")
        #expect(out.status == 0)
        #expect(out.stdout.isEmpty, "systemd-analyze verify printed:\n\(out.stdout)")
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
        #expect(output.contains("SYSTEMD_WANTS=infusiond.service"))
        #expect(output.contains("TAGS=") && output.contains(":systemd:"))
    }

    @Test func rulesLeaveOtherDevicesAlone() throws {
        let output = try udevTest("unrelated")
        #expect(output.contains("Reading rules file: /run/udev/rules.d/60-infusiond.rules"))
        #expect(!output.contains("INFUSIOND"), "\(output)")
        #expect(!output.contains("SYSTEMD_WANTS=infusiond.service"))
    }
}
