import InfusionCore
import InfusionDaemon
import Testing

/// Which chair role each present device serves across plug, unplug, replug, swap and adopt.
@Suite("DiscoveryRegistry")
struct DiscoveryRegistryTests {
    static let port = "pci-0000:00:14.0-usb-0:1:1.0"
    static let pumpSlot = ChairRole(chair: "1", role: .pump)

    static func adapter(_ serial: String?, node: String = "/dev/ttyUSB0", port: String = port, siteDriver: String? = nil) -> DeviceIdentity {
        DeviceIdentity(
            devnode: node, syspath: "/sys/devices/usb1/1-1/1-1:1.0/\(node.dropFirst(5))/tty/\(node.dropFirst(5))",
            vendorID: "0403", modelID: "6001", serialShort: serial, idPath: port, driver: "ftdi_sio",
            siteChair: "1", siteRole: .pump, siteDriver: siteDriver)
    }

    static func registry(_ match: DeviceMatch) -> DiscoveryRegistry {
        DiscoveryRegistry(claims: [DeviceClaim(chair: "1", role: .pump, match: match)], drivers: [pumpSlot: "newera"])
    }

    @Test func theFirstMatchingAdapterIsDrivenAndRemembered() {
        var registry = Self.registry(.idPath(Self.port))
        let first = Self.adapter("A10K4Q7B")
        #expect(registry.add(first) == [.drive(Self.pumpSlot, first)])
        #expect(registry.driven(for: Self.pumpSlot) == first)
        #expect(registry.add(first).isEmpty, "enumeration racing the monitor: the repeat changes nothing")
    }

    @Test func unplugWithdrawsAndReplugOfTheSameSerialDrivesAgainUnderAnyNode() {
        var registry = Self.registry(.idPath(Self.port))
        let first = Self.adapter("A10K4Q7B")
        _ = registry.add(first)
        #expect(registry.remove(first) == [.withdraw(Self.pumpSlot, first)])
        #expect(registry.driven(for: Self.pumpSlot) == nil)
        let replugged = Self.adapter("A10K4Q7B", node: "/dev/ttyUSB1")
        #expect(registry.add(replugged) == [.drive(Self.pumpSlot, replugged)])
    }

    @Test func anotherSerialOnTheSamePortIsRefusedUntilAdopted() throws {
        var registry = Self.registry(.idPath(Self.port))
        let first = Self.adapter("A10K4Q7B")
        _ = registry.add(first)
        _ = registry.remove(first)
        let stranger = Self.adapter("FT99ZZZ", node: "/dev/ttyUSB1")
        let decisions = registry.add(stranger)
        guard case .refuse(stranger, .refused(Self.pumpSlot, let reason))? = decisions.first else {
            Issue.record("expected a refusal, got \(decisions)")
            return
        }
        #expect(reason.contains("FT99ZZZ"))
        #expect(registry.driven(for: Self.pumpSlot) == nil)
        #expect(try registry.adopt(Self.pumpSlot) == [.drive(Self.pumpSlot, stranger)])
        #expect(registry.driven(for: Self.pumpSlot) == stranger)
        _ = registry.remove(stranger)
        #expect(registry.add(first).first.map { if case .refuse = $0 { true } else { false } } == true,
                "after adopt the old adapter is the stranger")
    }

    @Test func aSecondMatchingAdapterWhileTheFirstIsDrivenIsRefusedAndCannotBeAdopted() {
        var registry = Self.registry(.property(chair: "1", role: .pump))
        _ = registry.add(Self.adapter("A10K4Q7B"))
        let second = Self.adapter("B20", node: "/dev/ttyUSB1", port: "pci-0000:00:14.0-usb-0:2:1.0")
        #expect(registry.add(second).count == 1)
        #expect(throws: DiscoveryRegistry.AdoptionError.self) { try registry.adopt(Self.pumpSlot) }
    }

    @Test func aSerialLessAdapterIsTheSameWhenItComesBackOnTheSamePort() {
        var registry = Self.registry(.property(chair: "1", role: .pump))
        let prolific = Self.adapter(nil)
        _ = registry.add(prolific)
        _ = registry.remove(prolific)
        #expect(registry.add(Self.adapter(nil, node: "/dev/ttyUSB3")).first.map {
            if case .drive = $0 { true } else { false }
        } == true)
        _ = registry.remove(Self.adapter(nil, node: "/dev/ttyUSB3"))
        let moved = Self.adapter(nil, node: "/dev/ttyUSB4", port: "pci-0000:00:14.0-usb-0:4:1.0")
        #expect(registry.add(moved).first.map { if case .refuse = $0 { true } else { false } } == true,
                "the site rule still labels it, but on another port it is another adapter")
    }

    @Test func aSiteRuleNamingAnotherDriverIsRefused() {
        var registry = Self.registry(.serial("A10K4Q7B"))
        let decisions = registry.add(Self.adapter("A10K4Q7B", siteDriver: "masimo"))
        guard case .refuse(_, .refused(_, let reason))? = decisions.first else {
            Issue.record("expected a refusal, got \(decisions)")
            return
        }
        #expect(reason.contains("masimo") && reason.contains("newera"))
    }

    @Test func unboundUSBDevicesAreListedAndOthersIgnored() {
        var registry = Self.registry(.serial("NOPE"))
        #expect(registry.add(Self.adapter("A10K4Q7B")).isEmpty)
        #expect(registry.add(DeviceIdentity(devnode: "/dev/ttyS0", syspath: "/sys/devices/platform/serial8250/tty/ttyS0")).isEmpty)
        #expect(registry.devices.map(\.standing) == [.unbound])
        #expect(throws: DiscoveryRegistry.AdoptionError.self) { try registry.adopt(Self.pumpSlot) }
    }

    @Test func aFixedPathClaimLabelsTheDeviceButDiscoveryDoesNotDriveIt() {
        var registry = Self.registry(.path("/dev/ttyUSB0"))
        #expect(registry.add(Self.adapter("A10K4Q7B")).isEmpty)
        #expect(registry.devices.map(\.standing) == [.fixedPath(Self.pumpSlot)])
    }
}
