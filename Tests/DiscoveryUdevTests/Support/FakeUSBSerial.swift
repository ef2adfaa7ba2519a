import CUmockdev
import Foundation

/// Fake FTDI adapters for a umockdev testbed, written parents first as the kernel sends them
/// (docs/DEVICE-BASIS.md §10.2), with the PCI controller and root hub so udev's path_id would work.
///
/// The tty paragraph has no `N:` line: the test makes `$UMOCKDEV_DIR/dev/<node>` itself, as a
/// symlink to a simulator's pty slave (docs/DEVICE-BASIS.md §10.2, "Replugging"), so the same adapter can be
/// unplugged and plugged in again without umockdev's pty bookkeeping aborting the run.
struct FakeUSBSerial {
    var serial: String
    /// The root-hub port: 1 gives ID_PATH `pci-0000:00:14.0-usb-0:1:1.0`.
    var port: Int
    var node: String

    static let controller = """
        P: /devices/pci0000:00/0000:00:14.0
        E: SUBSYSTEM=pci
        E: DRIVER=xhci_hcd
        E: PCI_SLOT_NAME=0000:00:14.0

        P: /devices/pci0000:00/0000:00:14.0/usb1
        E: SUBSYSTEM=usb
        E: DEVTYPE=usb_device
        A: busnum=1
        A: devnum=1


        """

    var idPath: String { "pci-0000:00:14.0-usb-0:\(port):1.0" }
    private var usb: String { "/devices/pci0000:00/0000:00:14.0/usb1/1-\(port)" }
    private var interface: String { usb + "/1-\(port):1.0" }

    /// The tty's syspath, for uevents.
    var tty: String { "/sys" + interface + "/\(node)/tty/\(node)" }

    /// Every device of the adapter, child first: the order to unplug in.
    var devicesChildFirst: [String] {
        [tty, "/sys" + interface + "/\(node)", "/sys" + interface, "/sys" + usb]
    }

    var description: String {
        let minor = node.filter(\.isNumber)
        return """
            P: \(usb)
            E: DEVTYPE=usb_device
            E: DRIVER=usb
            E: PRODUCT=403/6001/600
            E: SUBSYSTEM=usb
            A: idVendor=0403
            A: idProduct=6001
            A: manufacturer=FTDI
            A: product=FT232R USB UART
            A: serial=\(serial)

            P: \(interface)
            E: DEVTYPE=usb_interface
            E: DRIVER=ftdi_sio
            E: SUBSYSTEM=usb
            A: bInterfaceNumber=00

            P: \(interface)/\(node)
            E: DRIVER=ftdi_sio
            E: SUBSYSTEM=usb-serial

            P: \(interface)/\(node)/tty/\(node)
            E: DEVNAME=/dev/\(node)
            E: SUBSYSTEM=tty
            E: MAJOR=188
            E: MINOR=\(minor)
            E: ID_BUS=usb
            E: ID_VENDOR_ID=0403
            E: ID_MODEL_ID=6001
            E: ID_SERIAL_SHORT=\(serial)
            E: ID_USB_DRIVER=ftdi_sio
            E: ID_PATH=\(idPath)
            A: dev=188:\(minor)

            """
    }
}

/// A umockdev testbed in this process; the daemon under test inherits it through the environment.
final class Testbed: @unchecked Sendable {
    let handle: UnsafeMutablePointer<UMockdevTestbed>
    /// `$UMOCKDEV_DIR`.
    let root: String

    init() throws {
        guard let handle = umockdev_testbed_new() else { throw TestbedFailure("umockdev_testbed_new") }
        self.handle = handle
        let dir = umockdev_testbed_get_root_dir(handle)
        root = dir.map { String(cString: $0) } ?? ""
        g_free(dir)
    }

    /// Adds devices; under the preload each paragraph sends its `add` uevent.
    func add(_ description: String) throws {
        var error: UnsafeMutablePointer<GError>?
        guard umockdev_testbed_add_from_string(handle, description, &error) != 0 else {
            let message = error.map { String(cString: $0.pointee.message) } ?? "?"
            throw TestbedFailure("add_from_string: \(message)")
        }
    }

    /// Plugs `adapter` in with its node pointing at `slave` (a pty).
    func plug(_ adapter: FakeUSBSerial, slave: String) throws {
        let node = root + "/dev/" + adapter.node
        try FileManager.default.createDirectory(atPath: root + "/dev", withIntermediateDirectories: true)
        unlink(node)
        guard symlink(slave, node) == 0 else { throw TestbedFailure("symlink \(node): \(errno)") }
        try add(adapter.description)
    }

    /// Unplugs `adapter`: the tty's `remove` uevent first, then its devices child first, then its node.
    func unplug(_ adapter: FakeUSBSerial) {
        umockdev_testbed_uevent(handle, adapter.tty, "remove")
        for syspath in adapter.devicesChildFirst { umockdev_testbed_remove_device(handle, syspath) }
        unlink(root + "/dev/" + adapter.node)
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(handle)) }
}

struct TestbedFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
