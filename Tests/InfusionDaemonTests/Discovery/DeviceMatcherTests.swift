import InfusionCore
import InfusionDaemon
import Testing

/// Binding devices to chair roles, without udev: identities are built as udev would report them.
@Suite("DeviceMatcher")
struct DeviceMatcherTests {
    /// The FTDI adapter of Tests/Fixtures/udev/ftdi-pump.umockdev.
    static let ftdi = DeviceIdentity(
        devnode: "/dev/ttyUSB0",
        syspath: "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.0/ttyUSB0/tty/ttyUSB0",
        vendorID: "0403", modelID: "6001", serialShort: "A10K4Q7B",
        idPath: "pci-0000:00:14.0-usb-0:1:1.0", driver: "ftdi_sio",
        devlinks: ["/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10K4Q7B-if00-port0"]
    )
    /// A Prolific adapter with no serial number, labelled by a site rule for chair 2's monitor.
    static let prolific = DeviceIdentity(
        devnode: "/dev/ttyUSB1", syspath: "/sys/devices/x/ttyUSB1/tty/ttyUSB1",
        vendorID: "067B", modelID: "2303", serialShort: "",
        idPath: "pci-0000:00:14.0-usb-0:2:1.0", driver: "pl2303",
        siteChair: "2", siteRole: .monitor, siteDriver: "masimo"
    )

    @Test func serialMatchBindsTheAdapterWithThatSerial() {
        let claim = DeviceClaim(chair: "1", role: .pump, match: .serial("A10K4Q7B"))
        let matcher = DeviceMatcher(claims: [claim])
        #expect(matcher.assignment(for: Self.ftdi) == .bound(claim))
        #expect(matcher.assignment(for: Self.prolific) == .unbound)
    }

    @Test func serialMatchWithVendorRejectsAnotherVendorsChip() {
        let right = DeviceMatch.serial("A10K4Q7B", vendorID: "0403")
        let wrong = DeviceMatch.serial("A10K4Q7B", vendorID: "10c4")
        #expect(right.matches(Self.ftdi))
        #expect(!wrong.matches(Self.ftdi))
    }

    @Test func idPathMatchBindsThePhysicalPort() {
        let claim = DeviceClaim(chair: "2", role: .pump, match: .idPath("pci-0000:00:14.0-usb-0:2:1.0"))
        let matcher = DeviceMatcher(claims: [claim])
        #expect(matcher.assignment(for: Self.prolific) == .bound(claim))
        #expect(matcher.assignment(for: Self.ftdi) == .unbound)
    }

    @Test func propertyMatchNeedsBothChairAndRole() {
        #expect(DeviceMatch.property(chair: "2", role: .monitor).matches(Self.prolific))
        #expect(!DeviceMatch.property(chair: "2", role: .pump).matches(Self.prolific))
        #expect(!DeviceMatch.property(chair: "1", role: .monitor).matches(Self.prolific))
        #expect(!DeviceMatch.property(chair: "2", role: .monitor).matches(Self.ftdi))
    }

    @Test func pathMatchAcceptsTheNodeOrAnyLink() {
        #expect(DeviceMatch.path("/dev/ttyUSB0").matches(Self.ftdi))
        #expect(DeviceMatch.path("/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10K4Q7B-if00-port0").matches(Self.ftdi))
        #expect(!DeviceMatch.path("/dev/ttyUSB1").matches(Self.ftdi))
    }

    @Test func emptySerialIsAbsentAndMatchesNothing() {
        #expect(Self.prolific.serialShort == nil)
        #expect(!DeviceMatch.serial("").matches(Self.prolific))
    }

    @Test func identityNormalisesHexIdsToLowerCase() {
        #expect(Self.prolific.vendorID == "067b")
        #expect(DeviceMatch.serial("X", vendorID: "067B").matches(
            DeviceIdentity(devnode: "/dev/ttyUSB2", syspath: "/s", vendorID: "067b", serialShort: "X")))
    }

    @Test func deviceClaimedByTwoChairRolesIsConflictingNotBound() {
        let first = DeviceClaim(chair: "1", role: .pump, match: .serial("A10K4Q7B"))
        let second = DeviceClaim(chair: "3", role: .pump, match: .path("/dev/ttyUSB0"))
        let assignment = DeviceMatcher(claims: [first, second]).assignment(for: Self.ftdi)
        #expect(assignment == .conflicting([first, second]))
        #expect(assignment.claim == nil)
    }

    @Test func twoMatchesForTheSameChairRoleStillBind() {
        let bySerial = DeviceClaim(chair: "1", role: .pump, match: .serial("A10K4Q7B"))
        let byPath = DeviceClaim(chair: "1", role: .pump, match: .path("/dev/ttyUSB0"))
        #expect(DeviceMatcher(claims: [bySerial, byPath]).assignment(for: Self.ftdi) == .bound(bySerial))
    }

    @Test func unmatchedDeviceIsListedUnbound() {
        let matcher = DeviceMatcher(claims: [])
        #expect(matcher.assignment(for: Self.ftdi) == .unbound)
        #expect(matcher.assignment(for: Self.ftdi).claim == nil)
    }

    @Test func candidatesReportEveryDeviceForAClaim() {
        let claim = DeviceClaim(chair: "1", role: .pump, match: .idPath("pci-0000:00:14.0-usb-0:1:1.0"))
        let twin = DeviceIdentity(
            devnode: "/dev/ttyUSB3", syspath: "/s3", vendorID: "0403", idPath: "pci-0000:00:14.0-usb-0:1:1.0")
        let result = DeviceMatcher(claims: [claim]).candidates(among: [Self.ftdi, Self.prolific, twin])
        #expect(result.count == 1)
        #expect(result.first?.devices == [Self.ftdi, twin])
    }
}
