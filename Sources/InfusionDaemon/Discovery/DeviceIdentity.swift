package import InfusionCore

/// Who a serial device is, as udev describes it: the facts infusiond binds chairs by and shows in
/// the `devices` command.
///
/// Built by `UdevEnumerator` and `UdevMonitor`; a pure value, so tests make it directly. Optional
/// fields are nil when udev does not know them (no udevd running, a Prolific chip without a serial
/// number, a pty).
package struct DeviceIdentity: Sendable, Hashable {
    /// The node to open, e.g. `/dev/ttyUSB0`.
    package var devnode: String
    /// The sysfs path, e.g. `/sys/devices/.../ttyUSB0/tty/ttyUSB0`; unique while the device is present.
    package var syspath: String
    /// The udev subsystem (`tty` for everything infusiond drives).
    package var subsystem: String
    /// USB vendor id in lower-case hex (`0403`), from ID_VENDOR_ID or the USB parent's idVendor.
    package var vendorID: String?
    /// USB product id in lower-case hex (`6001`), from ID_MODEL_ID or the USB parent's idProduct.
    package var modelID: String?
    /// The adapter's USB serial string (ID_SERIAL_SHORT or the USB parent's `serial`).
    package var serialShort: String?
    /// The physical port (ID_PATH, e.g. `pci-0000:00:14.0-usb-0:1:1.0`); only udevd computes it.
    package var idPath: String?
    /// The kernel driver of the bridge (`ftdi_sio`, `pl2303`, `cp210x`, `ch341`, `cdc_acm`).
    package var driver: String?
    /// Stable links udev made for the node (DEVLINKS), e.g. `/dev/serial/by-id/...`.
    package var devlinks: [String]
    /// Chair named by a site rule (INFUSIOND_CHAIR).
    package var siteChair: String?
    /// Role named by a site rule (INFUSIOND_ROLE); nil when absent or not `pump`/`monitor`.
    package var siteRole: DeviceRole?
    /// Protocol driver named by a site rule (INFUSIOND_DRIVER, e.g. `newera`).
    package var siteDriver: String?

    /// Makes an identity from known facts; empty strings count as absent.
    package init(
        devnode: String, syspath: String, subsystem: String = "tty",
        vendorID: String? = nil, modelID: String? = nil, serialShort: String? = nil,
        idPath: String? = nil, driver: String? = nil, devlinks: [String] = [],
        siteChair: String? = nil, siteRole: DeviceRole? = nil, siteDriver: String? = nil
    ) {
        self.devnode = devnode
        self.syspath = syspath
        self.subsystem = subsystem
        self.vendorID = Self.present(vendorID)?.lowercased()
        self.modelID = Self.present(modelID)?.lowercased()
        self.serialShort = Self.present(serialShort)
        self.idPath = Self.present(idPath)
        self.driver = Self.present(driver)
        self.devlinks = devlinks.filter { !$0.isEmpty }
        self.siteChair = Self.present(siteChair)
        self.siteRole = siteRole
        self.siteDriver = Self.present(siteDriver)
    }

    /// Every path this device can be opened by: the node first, then its links.
    package var paths: [String] { [devnode] + devlinks }

    /// Whether the device sits on a USB bridge (it has a vendor id); false for ttyS and ptys.
    package var isUSB: Bool { vendorID != nil }

    private static func present(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
