#if canImport(Glibc)
internal import Glibc
#endif
package import InfusionCore
package import WireProtocol

extension ChairDeviceSupervisor {
    /// Enumerates the tty devices present, then follows hotplug events until cancelled. When udev
    /// cannot be used (no netlink, no /sys) it says so and leaves fixed-path devices to run alone.
    func discover() async {
        let monitor: UdevMonitor
        let present: [DeviceIdentity]
        do {
            // Listen first, then enumerate: a device plugged in between is seen twice, never missed
            // (the registry ignores the repeat).
            monitor = try UdevMonitor.start()
            present = try UdevEnumerator.devices()
        } catch {
            logger.error("udev is unavailable; only devices with a fixed path are driven", metadata: ["error": "\(error)"])
            return
        }
        defer { monitor.stop() }
        if monitor.source == .kernel {
            logger.warning(
                "udevd is not running (no /run/udev/control): devices are found by kernel events and sysfs; idPath and siteRule matches need udevd")
        }
        logger.info("udev discovery started", metadata: ["devices": "\(present.filter(\.isUSB).count)"])
        for identity in present { handle(DeviceEvent(action: .add, identity: identity)) }
        for await event in monitor.events {
            handle(event.action == .add ? DeviceEvent(action: .add, identity: Self.completed(event.identity)) : event)
        }
    }

    /// A hotplugged device whose USB parent was not yet visible when its event was read
    /// (docs/DEVICE-BASIS.md §10.2) is read again from sysfs.
    private static func completed(_ identity: DeviceIdentity) -> DeviceIdentity {
        guard identity.vendorID == nil, let again = try? UdevEnumerator.device(syspath: identity.syspath) else {
            return identity
        }
        return again
    }

    /// Takes in one add or remove: updates the registry, points chair roles at their devices,
    /// and tells watchers. The seam discovery feeds; tests call it with made-up identities.
    package func handle(_ event: DeviceEvent) {
        let syspath = event.identity.syspath
        let (decisions, before, after) = registry.withLock { registry in
            let before = registry.devices.first { $0.identity.syspath == syspath }
            let decisions = event.action == .add ? registry.add(event.identity) : registry.remove(event.identity)
            return (decisions, before, registry.devices.first { $0.identity.syspath == syspath })
        }
        if event.action == .add, let after, before?.identity != after.identity {
            hub.publish(.deviceAdded, data: summary(of: after.identity, standing: after.standing))
            logger.info("device added", metadata: ["device": "\(after.identity.devnode)", "key": "\(after.identity.adoptionKey)"])
        } else if event.action == .remove, let before {
            hub.publish(.deviceRemoved, data: summary(of: before.identity, standing: before.standing, link: "down"))
            logger.info("device removed", metadata: ["device": "\(before.identity.devnode)"])
        }
        apply(decisions)
    }

    /// Accepts the refused device waiting for `role` on `chair` as that chair role's adapter from
    /// now on, and drives it. Throws when the chair or role has no udev match, when the role still
    /// drives a device, or when no single refused device waits.
    package func adopt(chair: String, role: DeviceRole) throws(DiscoveryRegistry.AdoptionError) -> DeviceSummary {
        let place = ChairRole(chair: chair, role: role)
        guard let binding = Self.bindings(of: chairs).first(where: { $0.0 == place })?.1 else {
            throw .init(code: "no-device", message: "\(place) has no device configured")
        }
        guard binding.usesDiscovery else {
            throw .init(code: "fixed-path", message: "\(place) uses the fixed path \(binding.path ?? ""); nothing to adopt")
        }
        let decisions = try registry.withLock { registry throws(DiscoveryRegistry.AdoptionError) in try registry.adopt(place) }
        apply(decisions)
        for case .drive(_, let identity) in decisions {
            hub.publish(.deviceAdopted, data: summary(of: identity, standing: .driven(place)))
            logger.notice("device adopted", metadata: ["chair": "\(chair)", "role": "\(role.rawValue)", "device": "\(identity.devnode)"])
        }
        return summary(of: place)
    }

    private func apply(_ decisions: [DiscoveryDecision]) {
        for decision in decisions {
            switch decision {
            case .drive(let place, let identity):
                slots[place]?.assign(identity)
                bindingJournal?.recordBinding(
                    chair: place.chair, role: place.role, adoptionKey: identity.adoptionKey, device: identity.adoptionDescription)
            case .withdraw(let place, _):
                slots[place]?.withdraw()
            case .refuse(let identity, let standing):
                announceRefusal(identity, standing)
            }
        }
    }

    /// A device that matches a chair but is not taken is a technical problem someone must look at:
    /// an event for device watchers, a notice for everyone, a warning in the journal. The chair
    /// role's link stays down, so the core's link-lost technical alarm stays raised.
    private func announceRefusal(_ identity: DeviceIdentity, _ standing: DeviceStanding) {
        let summary = summary(of: identity, standing: standing)
        hub.publish(.deviceRefused, data: summary)
        let reason = summary.reason ?? "refused"
        hub.publish(
            .notice,
            data: Notice(text: "device \(identity.devnode) (\(identity.adoptionDescription)) not used: \(reason)", from: getuid()))
        logger.warning("device refused", metadata: ["device": "\(identity.devnode)", "reason": "\(reason)"])
    }
}
