package import DeviceProtocols
package import Logging

/// Everything infusiond needs to know about one device family, in one record (gpsd's driver table is
/// the model): its factory line setting and the rates it may be set to, the per-device settings it
/// takes, and how to open its driver. `DeviceFamilyRecord.all` is the registry; adding a family is
/// adding a record (docs/ADDING-A-DEVICE-FAMILY.md). The simulators have their own factory in
/// `infusion-sim`, which the daemon does not link.
package struct DeviceFamilyRecord: Sendable {
    /// Opens a pump at a path with these line and driver settings.
    package typealias PumpOpener = @Sendable (String, SerialLineSettings, PumpDriverSettings, Logger) async throws -> any PumpDriver
    /// Opens a monitor at a path with these line and driver settings.
    package typealias MonitorOpener =
        @Sendable (String, SerialLineSettings, MonitorDriverSettings, Logger) async throws -> any MonitorDriver

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
    /// The rates the device can be set to.
    package var baudRates: [Int]
    /// The per-device settings that mean something for this family.
    package var settings: Set<DeviceSettings.Field>
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
        family: .newEra, line: .newEra, baudRates: [300, 1_200, 2_400, 9_600, 19_200],
        settings: [.address, .baudRate, .safeModeTimeoutSeconds],
        driver: .pump(
            open: { path, line, settings, logger in
                try await NewEraPumpDriver.open(path: path, line: line, settings: settings.newEra, clock: settings.clock, logger: logger)
            },
            sideStopDelay: { NewEraDialect(settings: $0.newEra).pumpSideStopDelay }))

    /// Harvard Pump 11 Elite / PHD ULTRA: 8N1 at 9600–115200, no safe mode (docs/DEVICE-BASIS.md §3).
    static let harvard = DeviceFamilyRecord(
        family: .harvard, line: .harvard, baudRates: [9_600, 19_200, 38_400, 57_600, 115_200], settings: [.address, .baudRate],
        driver: .pump(
            open: { path, line, settings, logger in
                try await HarvardPumpDriver.open(path: path, line: line, settings: settings.harvard, clock: settings.clock, logger: logger)
            },
            sideStopDelay: { HarvardDialect(settings: $0.harvard).pumpSideStopDelay }))

    /// Masimo Radical-7 / Rad-8 ASCII 1 output: 9600 8N1 only (docs/DEVICE-BASIS.md §4).
    static let masimo = DeviceFamilyRecord(
        family: .masimo, line: .masimo, baudRates: [9_600], settings: [.reopenSeconds],
        driver: .monitor(open: { path, line, settings, logger in
            try await SerialMonitorDriver.open(
                path: path, line: line, reopenInterval: settings.reopenInterval, linkLostAfter: settings.linkLostAfter,
                clock: settings.clock, logger: logger
            ) { MasimoHostSession() }
        }))

    /// Nonin Data Format 2 or 8: 9600 8N1 (docs/DEVICE-BASIS.md §5).
    static let nonin = DeviceFamilyRecord(
        family: .nonin, line: .nonin, baudRates: [9_600], settings: [.noninFormat, .reopenSeconds],
        driver: .monitor(open: { path, line, settings, logger in
            let format = settings.noninFormat
            return try await SerialMonitorDriver.open(
                path: path, line: line, reopenInterval: settings.reopenInterval, linkLostAfter: settings.linkLostAfter,
                clock: settings.clock, logger: logger
            ) { NoninHostSession(format: format) }
        }))

    /// Philips IntelliVue MIB/RS232, fixed-baud protocol: 115200 8N1 (docs/DEVICE-BASIS.md §6).
    static let intelliVue = DeviceFamilyRecord(
        family: .intelliVue, line: .intelliVue, baudRates: [115_200], settings: [.reopenSeconds],
        driver: .monitor(open: { path, line, settings, logger in
            let configuration = settings.intelliVue
            return try await SerialMonitorDriver.open(
                path: path, line: line, reopenInterval: settings.reopenInterval, linkLostAfter: settings.linkLostAfter,
                clock: settings.clock, logger: logger
            ) { IntelliVueHostSessionAdapter(configuration: configuration) }
        }))
}
