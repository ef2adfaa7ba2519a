import CUdev
import InfusionCore

extension DeviceIdentity {
    /// Reads a libudev device. Returns nil for devices without a node (tty class entries such as
    /// `/sys/class/tty/console` are still nodes; virtual parents are not).
    ///
    /// Must run on the thread that owns `device`'s libudev context. The udev database properties
    /// (ID_*) exist only when udevd runs; without them, and when a hotplug event raced ahead of its
    /// parents (docs/DEVICE-BASIS.md §10.2), the USB parent's sysfs attributes fill in vendor, model and
    /// serial. The parent is looked up only when a property is missing.
    init?(udevDevice device: OpaquePointer) {
        guard let node = Self.string(udev_device_get_devnode(device)) else { return nil }
        let property = { (key: String) in Self.string(udev_device_get_property_value(device, key)) }
        var vendor = property("ID_VENDOR_ID")
        var model = property("ID_MODEL_ID")
        var serial = property("ID_SERIAL_SHORT")
        if vendor == nil || model == nil || serial == nil,
            let usb = udev_device_get_parent_with_subsystem_devtype(device, "usb", "usb_device")
        {
            // The parent belongs to `device` and is freed with it: no unref here.
            let attribute = { (name: String) in Self.string(udev_device_get_sysattr_value(usb, name)) }
            vendor = vendor ?? attribute("idVendor")
            model = model ?? attribute("idProduct")
            serial = serial ?? attribute("serial")
        }
        self.init(
            devnode: node,
            syspath: Self.string(udev_device_get_syspath(device)) ?? "",
            subsystem: Self.string(udev_device_get_subsystem(device)) ?? "",
            vendorID: vendor, modelID: model, serialShort: serial,
            idPath: property("ID_PATH"),
            driver: property("ID_USB_DRIVER") ?? Self.bridgeDriver(of: device),
            devlinks: property("DEVLINKS").map { $0.split(separator: " ").map(String.init) } ?? [],
            siteChair: property("INFUSIOND_CHAIR"),
            siteRole: property("INFUSIOND_ROLE").flatMap(DeviceRole.init(rawValue:)),
            siteDriver: property("INFUSIOND_DRIVER")
        )
    }

    /// The nearest driver among the device and its ancestors: a tty has none itself; its
    /// usb-serial port parent carries the bridge driver.
    private static func bridgeDriver(of device: OpaquePointer) -> String? {
        var current: OpaquePointer? = device
        while let here = current {
            if let name = string(udev_device_get_driver(here)) ?? string(udev_device_get_property_value(here, "DRIVER")) {
                return name
            }
            current = udev_device_get_parent(here)
        }
        return nil
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        let value = String(cString: pointer)
        return value.isEmpty ? nil : value
    }
}
