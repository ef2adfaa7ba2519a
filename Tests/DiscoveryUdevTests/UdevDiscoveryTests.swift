import CUmockdev
import InfusionDaemon
import Testing

/// libudev enumeration and hotplug against a umockdev testbed holding the fake FTDI adapter of
/// Tests/Fixtures/udev/ftdi-pump.umockdev.
///
/// Needs umockdev's preload, so it runs only as
/// `umockdev-wrapper swift test --skip-build --filter DiscoveryUdevTests`; without the wrapper it
/// fails on purpose rather than pass without testing anything.
extension UmockdevSuites {
@Suite("Discovery under umockdev")
struct UdevDiscoveryTests {
    /// Tests/Fixtures/udev/ftdi-pump.umockdev, found from this file's path (Tests/DiscoveryUdevTests/...).
    static let fixture = "/" + "\(#filePath)".split(separator: "/").dropLast(2).joined(separator: "/")
        + "/Fixtures/udev/ftdi-pump.umockdev"
    static let tty = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.0/ttyUSB0/tty/ttyUSB0"

    @Test func fakeFTDIAdapterIsEnumeratedAndItsPlugEventsArrive() async throws {
        // The testbed must exist before umockdev_in_mock_environment() is first asked: the answer
        // is cached (docs/DEVICE-BASIS.md §10.2).
        let testbed = try #require(umockdev_testbed_new())
        defer { g_object_unref(UnsafeMutableRawPointer(testbed)) }
        try #require(
            umockdev_in_mock_environment() != 0,
            "not under umockdev's preload: run `umockdev-wrapper swift test --skip-build --filter DiscoveryUdevTests`")

        let monitor = try UdevMonitor.start()
        defer { monitor.stop() }
        var events = monitor.events.makeAsyncIterator()

        var error: UnsafeMutablePointer<GError>?
        #expect(umockdev_testbed_add_from_file(testbed, Self.fixture, &error) != 0, "cannot load \(Self.fixture)")

        let present = try UdevEnumerator.devices().filter(\.isUSB)
        #expect(present.count == 1)
        let adapter = try #require(present.first)
        #expect(adapter.devnode == "/dev/ttyUSB0")
        #expect(adapter.vendorID == "0403")
        #expect(adapter.modelID == "6001")
        #expect(adapter.serialShort == "A10K4Q7B")
        #expect(adapter.idPath == "pci-0000:00:14.0-usb-0:1:1.0")
        #expect(adapter.driver == "ftdi_sio")
        #expect(DeviceMatcher(claims: [DeviceClaim(chair: "1", role: .pump, match: .serial("A10K4Q7B"))])
            .assignment(for: adapter).claim?.chair == "1")

        let added = await events.next()
        #expect(added?.action == .add)
        #expect(added?.identity.serialShort == "A10K4Q7B")

        umockdev_testbed_uevent(testbed, Self.tty, "remove")
        umockdev_testbed_remove_device(testbed, Self.tty)
        let removed = await events.next()
        #expect(removed?.action == .remove)
        #expect(removed?.identity.devnode == "/dev/ttyUSB0")
    }
}
}
