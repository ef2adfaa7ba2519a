import CUdev
#if canImport(Glibc)
import Glibc
#endif

/// Lists the tty devices present now, for the start-up scan.
///
/// Each call makes its own libudev context and frees it before returning, so no libudev pointer
/// outlives the call or crosses a thread.
package enum UdevEnumerator {
    /// Every device node of `subsystem` (default `tty`), sorted by devnode.
    ///
    /// Includes non-USB ttys (ttyS*, virtual consoles): the matcher decides what is bound, and the
    /// `devices` listing may filter with `DeviceIdentity.isUSB`.
    package static func devices(subsystem: String = "tty") throws(UdevError) -> [DeviceIdentity] {
        guard let udev = udev_new() else { throw UdevError(operation: "udev_new", errno: errno) }
        defer { udev_unref(udev) }
        guard let enumerate = udev_enumerate_new(udev) else {
            throw UdevError(operation: "udev_enumerate_new", errno: errno)
        }
        defer { udev_enumerate_unref(enumerate) }
        var status = udev_enumerate_add_match_subsystem(enumerate, subsystem)
        guard status >= 0 else { throw UdevError(operation: "udev_enumerate_add_match_subsystem", errno: -status) }
        status = udev_enumerate_scan_devices(enumerate)
        guard status >= 0 else { throw UdevError(operation: "udev_enumerate_scan_devices", errno: -status) }

        var found: [DeviceIdentity] = []
        var entry = udev_enumerate_get_list_entry(enumerate)
        while let current = entry {
            defer { entry = udev_list_entry_get_next(current) }
            guard let path = udev_list_entry_get_name(current),
                let device = udev_device_new_from_syspath(udev, path)
            else { continue }
            defer { udev_device_unref(device) }
            if let identity = DeviceIdentity(udevDevice: device) { found.append(identity) }
        }
        return found.sorted { $0.devnode < $1.devnode }
    }

    /// The device at `syspath` as udev knows it now, or nil if it is gone. Used to re-resolve a
    /// hotplugged device whose USB parent was not yet visible when its event arrived.
    package static func device(syspath: String) throws(UdevError) -> DeviceIdentity? {
        guard let udev = udev_new() else { throw UdevError(operation: "udev_new", errno: errno) }
        defer { udev_unref(udev) }
        guard let device = udev_device_new_from_syspath(udev, syspath) else { return nil }
        defer { udev_device_unref(device) }
        return DeviceIdentity(udevDevice: device)
    }
}
