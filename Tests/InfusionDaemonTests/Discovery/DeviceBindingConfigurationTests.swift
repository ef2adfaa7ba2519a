import Foundation
import InfusionCore
@testable import InfusionDaemon
import Testing

/// How `chairs[].pump` and `chairs[].monitor` name their devices.
@Suite struct DeviceBindingConfigurationTests {
    private func binding(_ json: String) throws -> DeviceBinding {
        try JSONDecoder().decode(DeviceBinding.self, from: Data(json.utf8))
    }

    @Test func aFixedPathStaysAsItWas() throws {
        let fixed = try binding(#"{"family":"newera","path":"/tmp/ttyPUMP"}"#)
        #expect(fixed == DeviceBinding(family: .newEra, path: "/tmp/ttyPUMP"))
        #expect(!fixed.usesDiscovery)
        #expect(fixed.match(chair: "1", role: .pump) == .path("/tmp/ttyPUMP"))
    }

    @Test func eachUdevMatchBecomesItsDeviceMatch() throws {
        #expect(try binding(#"{"family":"newera","serial":"A10K4Q7B","vendorID":"0403"}"#).match(chair: "1", role: .pump)
            == .serial("A10K4Q7B", vendorID: "0403"))
        #expect(try binding(#"{"family":"masimo","idPath":"pci-0000:00:14.0-usb-0:2:1.0"}"#).match(chair: "1", role: .monitor)
            == .idPath("pci-0000:00:14.0-usb-0:2:1.0"))
        let site = try binding(#"{"family":"nonin","siteRule":true}"#)
        #expect(site.usesDiscovery)
        #expect(site.match(chair: "3", role: .monitor) == .property(chair: "3", role: .monitor))
    }

    @Test(arguments: [
        #"{"family":"newera"}"#,
        #"{"family":"newera","path":"/dev/ttyUSB0","serial":"A1"}"#,
        #"{"family":"newera","idPath":"x","siteRule":true}"#,
        #"{"family":"newera","siteRule":false}"#,
        #"{"family":"newera","path":"/dev/ttyUSB0","vendorID":"0403"}"#,
        #"{"family":"toaster","path":"/dev/ttyUSB0"}"#,
    ])
    func ambiguousOrIncompleteBindingsAreRefused(json: String) {
        #expect(throws: DecodingError.self) { try binding(json) }
    }

    @Test func printedConfigurationOmitsUnusedKeysAndReadsBack() throws {
        let chair = ChairSettings(id: "2", pump: DeviceBinding(family: .newEra, serial: "A10K4Q7B"))
        let encoded = String(decoding: try JSONEncoder().encode(chair), as: UTF8.self)
        #expect(!encoded.contains("path") && !encoded.contains("siteRule"), "\(encoded)")
        #expect(try JSONDecoder().decode(ChairSettings.self, from: Data(encoded.utf8)) == chair)
    }

    @Test func udevDiscoveryIsOnByDefaultAndCanBeTurnedOff() throws {
        #expect(DeviceLinkSettings().udev)
        let off = try JSONDecoder().decode(DeviceLinkSettings.self, from: Data(#"{"udev":false}"#.utf8))
        #expect(!off.udev)
    }
}
