/// A hotplug event for one tty device, from `UdevMonitor`.
package struct DeviceEvent: Sendable, Hashable {
    /// What happened to the device.
    package enum Action: String, Sendable, Hashable {
        /// The device appeared (plugged in, or its driver bound).
        case add
        /// The device is gone; `identity` is what udev last knew of it.
        case remove
    }

    package var action: Action
    package var identity: DeviceIdentity

    package init(action: Action, identity: DeviceIdentity) {
        self.action = action
        self.identity = identity
    }
}
