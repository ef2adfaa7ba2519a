package import DeviceProtocols

/// The line settings of one serial port: speed, character size, parity and stop bits.
///
/// Each device family has a factory setting, taken from docs/DEVICE-BASIS.md; a
/// configured device may override it (an NE-1000 can be moved to another baud rate with `*ADR`).
package struct SerialLineSettings: Hashable, Sendable, CustomStringConvertible {
    /// Parity of each character.
    package enum Parity: Hashable, Sendable {
        case none, even, odd
    }

    /// Bits per second; one of the standard POSIX rates (300 … 230400).
    package var baudRate: Int
    /// Data bits per character, 5 to 8.
    package var dataBits: Int
    package var parity: Parity
    /// 1 or 2.
    package var stopBits: Int

    package init(baudRate: Int, dataBits: Int = 8, parity: Parity = .none, stopBits: Int = 1) {
        self.baudRate = baudRate
        self.dataBits = dataBits
        self.parity = parity
        self.stopBits = stopBits
    }

    /// NE-1000 family factory setting: 19200 8N1 (docs/DEVICE-BASIS.md §1 "Facts"; nesp-lib's 9600
    /// default is wrong for a factory-fresh pump).
    package static let newEra = SerialLineSettings(baudRate: 19_200)
    /// Harvard Pump 11 Elite / PHD ULTRA: 8N1 at one of 9600 … 115200; 9600 is the slowest rate the
    /// pump offers (docs/DEVICE-BASIS.md §3), so the port must be configured to match the pump.
    package static let harvard = SerialLineSettings(baudRate: 9_600)
    /// Masimo Radical-7 / Rad-8 serial output: 9600 8N1 (docs/DEVICE-BASIS.md §4).
    package static let masimo = SerialLineSettings(baudRate: 9_600)
    /// Nonin OEM III / Xpod / 3012: 9600 8N1 (docs/DEVICE-BASIS.md §5).
    package static let nonin = SerialLineSettings(baudRate: 9_600)
    /// Philips IntelliVue MIB/RS232, fixed-baud protocol: 115200 8N1 (docs/DEVICE-BASIS.md §6).
    package static let intelliVue = SerialLineSettings(baudRate: 115_200)

    /// The factory setting of `family` (its `DeviceFamilyRecord`).
    package static func factoryDefault(for family: DeviceFamily) -> SerialLineSettings {
        DeviceFamilyRecord.record(for: family).line
    }

    /// `19200 8N1` style.
    package var description: String {
        let parityLetter =
            switch parity {
            case .none: "N"
            case .even: "E"
            case .odd: "O"
            }
        return "\(baudRate) \(dataBits)\(parityLetter)\(stopBits)"
    }
}
