internal import DeviceProtocols

/// A binding's per-device settings handed to its driver.
extension DeviceSettings {
    /// The pump driver settings with these applied over `base`.
    package func applied(to base: PumpDriverSettings) -> PumpDriverSettings {
        var settings = base
        if let baudRate { settings.line = SerialLineSettings(baudRate: baudRate) }
        if let address {
            settings.newEra.address = address
            settings.harvard.address = address
        }
        if let safeModeTimeoutSeconds {
            settings.newEra.safeModeTimeoutSeconds = safeModeTimeoutSeconds
            settings.newEra.heartbeatInterval = NewEraDriverSettings.heartbeat(forSafeModeTimeout: safeModeTimeoutSeconds)
        }
        return settings
    }

    /// The monitor driver settings with these applied over `base`.
    package func applied(to base: MonitorDriverSettings) -> MonitorDriverSettings {
        var settings = base
        if let baudRate { settings.line = SerialLineSettings(baudRate: baudRate) }
        if let format = noninFormat.flatMap(NoninDataFormat.init(rawValue:)) { settings.noninFormat = format }
        if let reopenSeconds { settings.reopenInterval = .milliseconds(Int64(reopenSeconds * 1_000)) }
        return settings
    }
}
