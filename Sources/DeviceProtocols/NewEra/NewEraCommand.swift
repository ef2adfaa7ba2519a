/// The NE-1000 commands a clinic needs, without address or framing. A command with no argument is
/// a query. Command set: docs/DEVICE-BASIS.md §1 "Command set".
public enum NewEraCommand: Hashable, Sendable {
    /// The empty command: the pump answers with its status only. Used as the safe-mode heartbeat.
    case status
    /// `VER`: model and firmware.
    case queryVersion
    /// `DIA<mm>`: syringe inside diameter; also selects the volume units (≤ 14 mm → µL).
    case setDiameter(NewEraNumber)
    case queryDiameter
    /// `RAT<value>[units]`; without units the pump keeps its current units.
    case setRate(NewEraNumber, NewEraRateUnits?)
    case queryRate
    /// `VOL<value>`: volume to dispense in the current phase; 0 pumps continuously.
    case setVolume(NewEraNumber)
    /// `VOLUL` / `VOLML`.
    case setVolumeUnits(NewEraVolumeUnits)
    case queryVolume
    /// `DIRINF`, `DIRWDR`, `DIRREV`.
    case setDirection(NewEraDirection)
    case queryDirection
    /// `RUN` or `RUN<phase>`: start the pumping program.
    case run(phase: UInt8?)
    /// `PUR`: purge at maximum rate until stopped.
    case purge
    /// `STP`: the first pauses (status `P`), a second one stops (status `S`).
    case stop
    /// `DIS`: infused and withdrawn volume.
    case queryDispensed
    /// `CLDINF` / `CLDWDR`.
    case clearDispensed(NewEraVolumeCounter)
    /// `SAF<0...255>`: safe-mode timeout in seconds; 0 returns to Basic mode.
    case setSafeModeTimeout(UInt8)
    case querySafeModeTimeout
    /// `*ADR<n>[B<baud>]`: network address 0–99, optionally a new baud rate. Always sent as a
    /// system command (`*` prefix), which every pump on the chain accepts.
    case setAddress(UInt8, baud: Int?)
    case queryAddress

    /// Highest pump address on a daisy chain.
    public static let maximumAddress: UInt8 = 99

    /// Whether the command goes out with the `*` system prefix instead of an address.
    public var isSystemCommand: Bool {
        switch self {
        case .setAddress, .queryAddress: true
        default: false
        }
    }

    /// Whether executing the command changes the pump (as opposed to a query or the status poll).
    public var changesState: Bool {
        switch self {
        case .status, .queryVersion, .queryDiameter, .queryRate, .queryVolume, .queryDirection,
            .queryDispensed, .querySafeModeTimeout, .queryAddress:
            false
        default: true
        }
    }

    /// The command text as the pump expects it, upper case, no address.
    public var text: String {
        switch self {
        case .status: ""
        case .queryVersion: "VER"
        case .setDiameter(let number): "DIA" + number.text
        case .queryDiameter: "DIA"
        case .setRate(let number, let units): "RAT" + number.text + (units?.rawValue ?? "")
        case .queryRate: "RAT"
        case .setVolume(let number): "VOL" + number.text
        case .setVolumeUnits(let units): "VOL" + units.rawValue
        case .queryVolume: "VOL"
        case .setDirection(let direction): "DIR" + direction.rawValue
        case .queryDirection: "DIR"
        case .run(let phase): "RUN" + (phase.map { String($0) } ?? "")
        case .purge: "PUR"
        case .stop: "STP"
        case .queryDispensed: "DIS"
        case .clearDispensed(let counter): "CLD" + counter.rawValue
        case .setSafeModeTimeout(let seconds): "SAF" + String(seconds)
        case .querySafeModeTimeout: "SAF"
        case .setAddress(let address, let baud): "ADR" + String(address) + (baud.map { "B" + String($0) } ?? "")
        case .queryAddress: "ADR"
        }
    }

    /// Parses normalised command text (no address, upper case, no spaces). Nil means the pump
    /// answers `?` (not recognised); malformed numbers count as not recognised too.
    public init?(text: Substring) {
        let name = text.prefix(3)
        let argument = text.dropFirst(3)
        switch name {
        case "": self = .status
        case "VER" where argument.isEmpty: self = .queryVersion
        case "DIA": self.init(diameterArgument: argument)
        case "RAT": self.init(rateArgument: argument)
        case "VOL": self.init(volumeArgument: argument)
        case "DIR":
            if argument.isEmpty {
                self = .queryDirection
            } else if let direction = NewEraDirection(rawValue: String(argument)) {
                self = .setDirection(direction)
            } else {
                return nil
            }
        case "RUN":
            if argument.isEmpty {
                self = .run(phase: nil)
            } else if let phase = Self.smallInteger(argument, maximum: 99) {
                self = .run(phase: UInt8(phase))
            } else {
                return nil
            }
        case "PUR" where argument.isEmpty: self = .purge
        case "STP" where argument.isEmpty: self = .stop
        case "DIS" where argument.isEmpty: self = .queryDispensed
        case "CLD":
            guard let counter = NewEraVolumeCounter(rawValue: String(argument)) else { return nil }
            self = .clearDispensed(counter)
        case "SAF":
            if argument.isEmpty {
                self = .querySafeModeTimeout
            } else if let seconds = Self.smallInteger(argument, maximum: 255) {
                self = .setSafeModeTimeout(UInt8(seconds))
            } else {
                return nil
            }
        case "ADR": self.init(addressArgument: argument)
        default: return nil
        }
    }

    private init?(diameterArgument argument: Substring) {
        if argument.isEmpty {
            self = .queryDiameter
        } else if let number = NewEraNumber(text: argument) {
            self = .setDiameter(number)
        } else {
            return nil
        }
    }

    private init?(rateArgument argument: Substring) {
        if argument.isEmpty {
            self = .queryRate
            return
        }
        let suffix = argument.suffix(2)
        if let units = NewEraRateUnits(rawValue: String(suffix)) {
            guard let number = NewEraNumber(text: argument.dropLast(2)) else { return nil }
            self = .setRate(number, units)
        } else if let number = NewEraNumber(text: argument) {
            self = .setRate(number, nil)
        } else {
            return nil
        }
    }

    private init?(volumeArgument argument: Substring) {
        if argument.isEmpty {
            self = .queryVolume
        } else if let units = NewEraVolumeUnits(rawValue: String(argument)) {
            self = .setVolumeUnits(units)
        } else if let number = NewEraNumber(text: argument) {
            self = .setVolume(number)
        } else {
            return nil
        }
    }

    private init?(addressArgument argument: Substring) {
        if argument.isEmpty {
            self = .queryAddress
            return
        }
        let parts = argument.split(separator: "B", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = Self.smallInteger(parts[0], maximum: Int(Self.maximumAddress)) else { return nil }
        var baud: Int?
        if parts.count == 2 {
            guard let value = Self.smallInteger(parts[1], maximum: 999_999) else { return nil }
            baud = value
        }
        self = .setAddress(UInt8(address), baud: baud)
    }

    /// A decimal integer of at most six digits no larger than `maximum`, nil otherwise.
    private static func smallInteger(_ text: Substring, maximum: Int) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 6 else { return nil }
        var value = 0
        for byte in text.utf8 {
            guard let digit = PumpASCII.digit(byte) else { return nil }
            value = value * 10 + digit
        }
        return value <= maximum ? value : nil
    }
}
