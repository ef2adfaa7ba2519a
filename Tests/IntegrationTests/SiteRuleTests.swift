import Foundation
import Testing

/// The site-rule examples of docs/UDEV.md (udev-rules/examples/), run by `udevadm test` on umockdev
/// devices together with the shipped rules: they set the properties infusiond binds by.
@Suite("udev site rules") struct SiteRuleTests {
    private static let root = BuiltProducts.packageRoot.path

    /// The properties and links `udevadm test` reports for `fixture` with the example rules
    /// `example` and 60-infusiond.rules installed.
    private func udevTest(example: String, fixture: String) throws -> (properties: [String: String], output: String) {
        _ = try Shell.run("getent group infusiond >/dev/null || groupadd --system infusiond")
        let out = try Shell.run(
            "\(Self.root)/Tests/Fixtures/udev/udev-test-sandboxed "
                + "\(Self.root)/udev-rules/examples/\(example),\(Self.root)/udev-rules/60-infusiond.rules "
                + "\(Self.root)/Tests/Fixtures/udev/\(fixture).umockdev /sys/class/tty/ttyUSB0")
        #expect(out.status == 0, "\(out.stderr)")
        let ours = out.stdout.split(separator: "\n").filter { $0.contains(example) }
        #expect(!ours.contains { $0.contains("Invalid") || $0.contains("Unknown") || $0.contains("Failed") }, "\(ours)")
        var properties: [String: String] = [:]
        for line in out.stdout.split(separator: "\n") where line.hasPrefix("INFUSIOND") || line.hasPrefix("ID_PATH=") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { properties[String(parts[0])] = String(parts[1]) }
        }
        return (properties, out.stdout)
    }

    @Test func portRuleLabelsChairOnesPumpPort() throws {
        let result = try udevTest(example: "50-infusiond-site-ports.rules", fixture: "ftdi-pump")
        #expect(result.properties["INFUSIOND_CHAIR"] == "1")
        #expect(result.properties["INFUSIOND_ROLE"] == "pump")
        #expect(result.properties["INFUSIOND_DRIVER"] == "newera")
        #expect(result.output.contains("LINK 'infusiond/chair-1-pump'"))
    }

    /// The PL2303 fixture has no ID_PATH of its own: the rule's `IMPORT{builtin}="path_id"` computes
    /// it from the PCI and USB parents, as udevd does on real hardware.
    @Test func portRuleLabelsASerialLessAdapterByThePortItComputes() throws {
        let result = try udevTest(example: "50-infusiond-site-ports.rules", fixture: "pl2303-port2")
        #expect(result.properties["ID_PATH"] == "pci-0000:00:14.0-usb-0:2:1.0")
        #expect(result.properties["INFUSIOND_CHAIR"] == "1")
        #expect(result.properties["INFUSIOND_ROLE"] == "monitor")
        #expect(result.properties["INFUSIOND_DRIVER"] == "masimo")
        #expect(result.output.contains("LINK 'infusiond/pl2303-pci-0000:00:14.0-usb-0:2:1.0'"), "the shipped rule's port fallback")
    }

    @Test(arguments: [("ftdi-pump", "pump", "newera"), ("cp210x-monitor", "monitor", "intellivue")])
    func serialRuleBindsChairTwosAdapters(fixture: String, role: String, driver: String) throws {
        let result = try udevTest(example: "50-infusiond-site-serials.rules", fixture: fixture)
        #expect(result.properties["INFUSIOND_CHAIR"] == "2")
        #expect(result.properties["INFUSIOND_ROLE"] == role)
        #expect(result.properties["INFUSIOND_DRIVER"] == driver)
        #expect(result.output.contains("LINK 'infusiond/chair-2-\(role)'"))
    }

    @Test func serialRuleLeavesAnotherAdapterUnlabelled() throws {
        let result = try udevTest(example: "50-infusiond-site-serials.rules", fixture: "pl2303-port2")
        #expect(result.properties["INFUSIOND_CHAIR"] == nil)
        #expect(result.properties["INFUSIOND_BRIDGE"] == "pl2303", "the shipped rule still claims the bridge")
    }

    /// docs/UDEV.md shows the example files; every rule line of each must appear there verbatim.
    @Test(arguments: ["50-infusiond-site-ports.rules", "50-infusiond-site-serials.rules"])
    func documentationQuotesTheTestedRules(example: String) throws {
        let doc = try String(contentsOfFile: "\(Self.root)/docs/UDEV.md", encoding: .utf8)
        let rules = try String(contentsOfFile: "\(Self.root)/udev-rules/examples/\(example)", encoding: .utf8)
        for line in rules.split(separator: "\n") where !line.hasPrefix("#") {
            #expect(doc.contains(line), "docs/UDEV.md lacks: \(line)")
        }
    }
}
