import CShims
package import DeviceProtocols
package import InfusionCore
package import Logging

/// Per-family settings for opening a pump driver.
package struct PumpDriverSettings: Sendable {
    /// Line settings; nil uses the family's factory setting (`SerialLineSettings.factoryDefault`).
    package var line: SerialLineSettings?
    package var newEra: NewEraDriverSettings
    package var harvard: HarvardDriverSettings
    /// The clock observations are stamped with; the daemon's monotonic clock by default.
    package var clock: @Sendable () -> MonotonicInstant

    package init(
        line: SerialLineSettings? = nil, newEra: NewEraDriverSettings = NewEraDriverSettings(),
        harvard: HarvardDriverSettings = HarvardDriverSettings(),
        clock: @escaping @Sendable () -> MonotonicInstant = DeviceDriverFactory.monotonicNow
    ) {
        self.line = line
        self.newEra = newEra
        self.harvard = harvard
        self.clock = clock
    }

    /// The factory settings with the pump set up for `syringe` at open (nil keeps BD 60 mL's diameter).
    package init(syringe: SyringeSpec?) {
        self.init()
        guard let diameter = syringe?.innerDiameterMillimetres else { return }
        newEra.syringeDiameterMillimetres = diameter
        harvard.syringeDiameterMillimetres = diameter
    }
}

/// Per-family settings for opening a monitor driver.
package struct MonitorDriverSettings: Sendable {
    /// Line settings; nil uses the family's factory setting.
    package var line: SerialLineSettings?
    /// The Nonin data format the oximeter is set to (wired units have it fixed per part number,
    /// docs/DEVICE-BASIS.md §5).
    package var noninFormat: NoninDataFormat
    /// IntelliVue association timing (defaults from docs/DEVICE-BASIS.md §6).
    package var intelliVue: IntelliVueHostConfiguration
    /// How long to wait between attempts to reopen a lost port. Default 2 s, as the chair supervisor
    /// reopens drivers.
    package var reopenInterval: Duration
    /// How long a monitor may send no reading with its port open before its link counts as lost.
    /// Default 3 s, as `devices.monitorLinkLostSeconds` (docs/CLINICAL-BASIS.md row 31).
    package var linkLostAfter: Duration
    /// The clock readings are stamped with at receipt; the daemon's monotonic clock by default.
    package var clock: @Sendable () -> MonotonicInstant

    package init(
        line: SerialLineSettings? = nil, noninFormat: NoninDataFormat = .format2,
        intelliVue: IntelliVueHostConfiguration = IntelliVueHostConfiguration(), reopenInterval: Duration = .seconds(2),
        linkLostAfter: Duration = .seconds(3),
        clock: @escaping @Sendable () -> MonotonicInstant = DeviceDriverFactory.monotonicNow
    ) {
        self.line = line
        self.noninFormat = noninFormat
        self.intelliVue = intelliVue
        self.reopenInterval = reopenInterval
        self.linkLostAfter = linkLostAfter
        self.clock = clock
    }
}

/// Opens the right driver for a configured device: one place that knows which family speaks which
/// protocol, so the daemon only names a family and a path.
package enum DeviceDriverFactory {
    /// Why no driver could be made for a family.
    package struct Unsupported: Error, Hashable, Sendable, CustomStringConvertible {
        package var family: DeviceFamily
        package var description: String { "no driver for device family \(family.rawValue)" }
    }

    /// `CLOCK_MONOTONIC` as a `MonotonicInstant`.
    package static let monotonicNow: @Sendable () -> MonotonicInstant = {
        MonotonicInstant(nanoseconds: cshim_monotonic_now_ns())
    }

    /// Opens the pump at `path`. Throws `PumpDriverFailure` when the port cannot be opened or the
    /// pump cannot be set up (safe mode, syringe), `Unsupported` for a monitor family.
    package static func makePumpDriver(
        family: DeviceFamily, path: String, settings: PumpDriverSettings = PumpDriverSettings(),
        logger: Logger = Logger(label: "infusiond.pump")
    ) async throws -> any PumpDriver {
        let record = DeviceFamilyRecord.record(for: family)
        guard case .pump(let open, _) = record.driver else { throw Unsupported(family: family) }
        return try await open(path, settings.line ?? record.line, settings, logger)
    }

    /// How long after the host falls silent a pump of `family` stops by itself with `settings`; nil
    /// when it never does (Harvard) or safe mode is off, or for a monitor.
    package static func pumpSideStopDelay(family: DeviceFamily, settings: PumpDriverSettings = PumpDriverSettings()) -> Duration? {
        guard case .pump(_, let sideStopDelay) = DeviceFamilyRecord.record(for: family).driver else { return nil }
        return sideStopDelay(settings)
    }

    /// Opens the monitor at `path` and starts reading; its readings and link changes go to `sink`
    /// (on the driver's reader thread: see `MonitorEventSink`). Throws `SerialPortError` when the port
    /// cannot be opened, `Unsupported` for a pump family.
    package static func makeMonitorDriver(
        family: DeviceFamily, path: String, settings: MonitorDriverSettings = MonitorDriverSettings(),
        logger: Logger = Logger(label: "infusiond.monitor"), sink: @escaping MonitorEventSink
    ) async throws -> any MonitorDriver {
        let record = DeviceFamilyRecord.record(for: family)
        guard case .monitor(let open) = record.driver else { throw Unsupported(family: family) }
        return try await open(path, settings.line ?? record.line, settings, logger, sink)
    }
}
