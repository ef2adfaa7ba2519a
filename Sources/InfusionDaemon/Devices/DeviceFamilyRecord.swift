package import DeviceProtocols
package import Logging

/// What the daemon needs to drive one device family, in one record (gpsd's driver table is the
/// model): its factory line setting, how to open its driver, and for a pump whether it stops by itself
/// when the host falls silent. `DeviceFamilyRecord.all` is the registry; adding a family is adding a
/// record (docs/ADDING-A-DEVICE-FAMILY.md). The family's configuration facts (the rates it may be set
/// to, the per-device settings it takes) are on `DeviceFamily` itself, so configuration is checked
/// without the drivers; the simulators have their own factory in `infusion-sim`, which the daemon does
/// not link.
package struct DeviceFamilyRecord: Sendable {
    /// Opens a pump at a path with these line and driver settings.
    package typealias PumpOpener = @Sendable (String, SerialLineSettings, PumpDriverSettings, Logger) async throws -> any PumpDriver
    /// Opens a monitor at a path with these line and driver settings, delivering to the sink.
    package typealias MonitorOpener =
        @Sendable (String, SerialLineSettings, MonitorDriverSettings, Logger, @escaping MonitorEventSink) async throws -> any MonitorDriver

    /// What kind of driver the family has.
    package enum Driver: Sendable {
        /// A syringe pump; `sideStopDelay` says how soon it stops by itself once the host falls silent
        /// (nil: never).
        case pump(open: PumpOpener, sideStopDelay: @Sendable (PumpDriverSettings) -> Duration?)
        case monitor(open: MonitorOpener)
    }

    package var family: DeviceFamily
    /// The factory line setting (docs/DEVICE-BASIS.md, the family's section).
    package var line: SerialLineSettings
    package var driver: Driver

    /// The registry: one record per family.
    package static let all: [DeviceFamilyRecord] = [newEra, harvard, masimo, nonin, intelliVue]

    /// The record of `family`. Every family has one (`DeviceFamilyRecordTests`).
    package static func record(for family: DeviceFamily) -> DeviceFamilyRecord {
        guard let record = all.first(where: { $0.family == family }) else {
            preconditionFailure("no record for device family \(family.rawValue)")
        }
        return record
    }

    /// NE-1000 family: 19200 8N1 from the factory, 300–19200 with `*ADR` (docs/DEVICE-BASIS.md §1).
    static let newEra = DeviceFamilyRecord(
        family: .newEra, line: .newEra,
        driver: .pump(
            open: { path, line, settings, logger in
                try await NewEraPumpDriver.open(path: path, line: line, settings: settings.newEra, clock: settings.clock, logger: logger)
            },
            sideStopDelay: { NewEraDialect(settings: $0.newEra).pumpSideStopDelay }))

    /// Harvard Pump 11 Elite / PHD ULTRA: 8N1 at 9600–115200, no safe mode (docs/DEVICE-BASIS.md §3).
    static let harvard = DeviceFamilyRecord(
        family: .harvard, line: .harvard,
        driver: .pump(
            open: { path, line, settings, logger in
                try await HarvardPumpDriver.open(path: path, line: line, settings: settings.harvard, clock: settings.clock, logger: logger)
            },
            sideStopDelay: { HarvardDialect(settings: $0.harvard).pumpSideStopDelay }))

    /// Masimo Radical-7 / Rad-8 ASCII 1 output: 9600 8N1 only (docs/DEVICE-BASIS.md §4).
    static let masimo = DeviceFamilyRecord(
        family: .masimo, line: .masimo, driver: .monitor(open: serialMonitor { _ in MasimoHostSession() }))

    /// Nonin Data Format 2 or 8: 9600 8N1 (docs/DEVICE-BASIS.md §5).
    static let nonin = DeviceFamilyRecord(
        family: .nonin, line: .nonin,
        driver: .monitor(open: serialMonitor { settings in NoninHostSession(format: settings.noninFormat) }))

    /// Philips IntelliVue MIB/RS232, fixed-baud protocol: 115200 8N1 (docs/DEVICE-BASIS.md §6).
    static let intelliVue = DeviceFamilyRecord(
        family: .intelliVue, line: .intelliVue,
        driver: .monitor(open: serialMonitor { settings in IntelliVueHostSessionAdapter(configuration: settings.intelliVue) }))

    /// A monitor behind a serial port whose frames `session` (made from the driver settings) decodes.
    private static func serialMonitor<Session: MonitorHostSession>(
        _ session: @escaping @Sendable (MonitorDriverSettings) -> Session
    ) -> MonitorOpener {
        { path, line, settings, logger, sink in
            try await SerialMonitorDriver.open(
                path: path, line: line, reopenInterval: settings.reopenInterval, linkLostAfter: settings.linkLostAfter,
                clock: settings.clock, logger: logger, makeSession: { session(settings) }, sink: sink)
        }
    }
}
