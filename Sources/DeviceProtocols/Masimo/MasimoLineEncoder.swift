/// Which fields a Masimo model prints, in its order and widths (docs/DEVICE-BASIS.md section 4,
/// "Model differences"). The simulator picks one; the parser accepts all of them.
public enum MasimoLineLayout: String, Hashable, Sendable, CaseIterable {
    /// `SPO2 BPM PI ALARM(2 hex) EXC(3 hex)`.
    case rad5
    /// `SN SPO2 BPM PI SPCO SPMET DESAT PIDELTA ALARM(4 hex) EXC(6 hex)`.
    case rad8
    /// Rad-8 fields plus `PVI` before `ALARM`.
    case radical7
}

/// Writes Masimo ASCII 1 lines, for the simulator: date, time and the layout's fields, terminated
/// by CR LF. A nil measurement is written as dashes, as the device does.
public struct MasimoLineEncoder: Sendable {
    public var layout: MasimoLineLayout

    public init(layout: MasimoLineLayout) {
        self.layout = layout
    }

    /// The bytes of one line for `record`, stamped with `timestamp`.
    public func encode(_ record: MasimoRecord, timestamp: MasimoTimestamp) -> [UInt8] {
        var fields = [date(timestamp), time(timestamp)]
        if layout != .rad5 {
            fields.append("SN=" + (record.serialNumber ?? "----------"))
        }
        fields.append("SPO2=" + integer(record.spo2, width: 3) + "%")
        fields.append("BPM=" + integer(record.pulseRate, width: 3))
        fields.append("PI=" + fixed(record.perfusionIndex, integerDigits: 2, fractionDigits: 2) + "%")
        if layout != .rad5 {
            fields.append("SPCO=" + fixed(record.spco, integerDigits: 2, fractionDigits: 1) + "%")
            fields.append("SPMET=" + fixed(record.spmet, integerDigits: 2, fractionDigits: 1) + "%")
            fields.append("DESAT=" + integer(record.desaturationIndex, width: 2))
            fields.append("PIDELTA=" + signed(record.perfusionIndexDelta, width: 2))
        }
        if layout == .radical7 {
            fields.append("PVI=" + integer(record.plethVariabilityIndex, width: 3))
        }
        let (alarmWidth, exceptionWidth) = layout == .rad5 ? (2, 3) : (4, 6)
        fields.append("ALARM=" + hexadecimal(record.alarms.rawValue, width: alarmWidth))
        fields.append("EXC=" + hexadecimal(record.exceptions.rawValue, width: exceptionWidth))
        return Array(fields.joined(separator: " ").utf8) + [0x0D, 0x0A]
    }

    private func date(_ timestamp: MasimoTimestamp) -> String {
        padded(timestamp.month, 2) + "/" + padded(timestamp.day, 2) + "/" + padded(timestamp.year % 100, 2)
    }

    private func time(_ timestamp: MasimoTimestamp) -> String {
        padded(timestamp.hour, 2) + ":" + padded(timestamp.minute, 2) + ":" + padded(timestamp.second, 2)
    }

    /// A whole number in `width` digits, clamped to what fits; dashes when absent.
    private func integer(_ value: Double?, width: Int) -> String {
        guard let value, value.isFinite else { return String(repeating: "-", count: width) }
        return padded(clamped(value.rounded(), digits: width), width)
    }

    private func signed(_ value: Double?, width: Int) -> String {
        guard let value, value.isFinite else { return "+" + String(repeating: "-", count: width) }
        let magnitude = clamped(abs(value).rounded(), digits: width)
        return (value < 0 && magnitude != 0 ? "-" : "+") + padded(magnitude, width)
    }

    /// `NN.NN` style fixed point; dashes in every digit position when absent.
    private func fixed(_ value: Double?, integerDigits: Int, fractionDigits: Int) -> String {
        guard let value, value.isFinite else {
            return String(repeating: "-", count: integerDigits) + "." + String(repeating: "-", count: fractionDigits)
        }
        var scale = 1.0
        for _ in 0..<fractionDigits { scale *= 10 }
        let scaled = clamped((max(0, value) * scale).rounded(), digits: integerDigits + fractionDigits)
        let divisor = Int(scale)
        return padded(scaled / divisor, integerDigits) + "." + padded(scaled % divisor, fractionDigits)
    }

    private func clamped(_ value: Double, digits: Int) -> Int {
        var limit = 1
        for _ in 0..<digits { limit *= 10 }
        return Int(min(max(value, 0), Double(limit - 1)))
    }

    private func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private func hexadecimal(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
