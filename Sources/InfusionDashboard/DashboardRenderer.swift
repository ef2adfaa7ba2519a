/// Turns a `DashboardModel` into screen lines. Pure: the caller passes the size and the flash clock.
///
/// Alarm presentation follows IEC 60601-1-8: high priority red and flashing at about 2 Hz, medium
/// yellow and flashing slower, low cyan and steady; the `***`/`**`/`*` prefix makes the priority
/// readable without colour (plain mode, colour-blind users).
package struct DashboardRenderer {
    /// What the interactive shell adds on top of the model.
    package struct Overlay: Sendable {
        package var selectedChair: String?
        package var showHelp = false
        package var message: String?
        package init() {}
    }

    /// Flash half-periods: high 250 ms on/off (2 Hz), medium 800 ms on/off (about 0.6 Hz).
    static let highHalfPeriodMilliseconds: Int64 = 250
    static let mediumHalfPeriodMilliseconds: Int64 = 800

    static let keyHelp = [
        "Keys:",
        "  1-9, Tab    choose a chair",
        "  a           acknowledge the chosen chair's alarms (operator role)",
        "  s           audio-pause the chosen chair's alarms for the configured time (operator role)",
        "  ?           show or hide this help",
        "  q           quit",
    ]

    package var width: Int
    package var height: Int
    /// Adds ANSI colours and flashing; off for `--once`.
    package var ansi: Bool
    /// A monotonic wall-side clock in milliseconds, only for the flash phase.
    package var clockMilliseconds: Int64 = 0

    package init(width: Int, height: Int, ansi: Bool, clockMilliseconds: Int64 = 0) {
        self.width = width
        self.height = height
        self.ansi = ansi
        self.clockMilliseconds = clockMilliseconds
    }

    enum Style {
        case none, header, red, yellow, cyan, dim
    }

    package func render(_ model: DashboardModel, overlay: Overlay = Overlay()) -> [String] {
        var lines: [(String, Style)] = [(headerText(model, overlay), .header)]
        if overlay.showHelp {
            lines += Self.keyHelp.map { ($0, .none) }
        } else if model.chairs.isEmpty {
            lines.append(("no chairs configured", .dim))
        } else {
            for id in model.chairIDs {
                guard let panel = model.chairs[id] else { continue }
                lines += chairLines(panel, now: model.now, selected: id == overlay.selectedChair)
            }
        }
        if let message = overlay.message { lines.append((message, .none)) }
        var fitted = lines
        if height > 0, fitted.count > height {
            fitted = Array(fitted.prefix(max(height - 1, 0))) + [("… \(lines.count - height + 1) more lines", .dim)]
        }
        return fitted.map { styled(truncated($0.0), $0.1) }
    }

    private func headerText(_ model: DashboardModel, _ overlay: DashboardRenderer.Overlay) -> String {
        let link = switch model.link {
        case .connecting: "connecting"
        case .connected: "connected"
        case .lost(let reason): "disconnected (\(reason)); reconnecting"
        }
        var parts = ["infusiond \(model.daemonVersion ?? "?")", link]
        if let role = model.role { parts.append("role \(role.rawValue)") }
        if ansi { parts.append("? help  q quit") }
        return parts.joined(separator: " | ")
    }

    func alarmStyle(_ alarm: ChairPanel.Alarm) -> Style {
        let flashOn: (Int64) -> Bool = { half in alarm.acknowledged || (clockMilliseconds / half) % 2 == 0 }
        switch alarm.priority {
        case "high": return flashOn(Self.highHalfPeriodMilliseconds) ? .red : .none
        case "medium": return flashOn(Self.mediumHalfPeriodMilliseconds) ? .yellow : .none
        default: return .cyan
        }
    }

    static func prefix(_ priority: String) -> String {
        switch priority {
        case "high": "***"
        case "medium": "**"
        default: "*"
        }
    }

    /// Eight-level block sparkline of `values`, scaled between their minimum and maximum.
    static func sparkline(_ values: [Double], columns: Int = 30) -> String {
        guard let low = values.min(), let high = values.max() else { return "" }
        let blocks = Array("▁▂▃▄▅▆▇█")
        let step = max(values.count / columns, 1)
        let sampled = stride(from: 0, to: values.count, by: step).map { values[$0] }.suffix(columns)
        return String(sampled.map { value in
            guard high > low else { return blocks[0] }
            let index = Int(((value - low) / (high - low) * Double(blocks.count - 1)).rounded())
            return blocks[min(max(index, 0), blocks.count - 1)]
        })
    }

    package static func number(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "--" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        if decimals == 0 { return String(Int64(rounded)) }
        let whole = Int64(rounded.magnitude)
        let fraction = Int64(((rounded.magnitude - Double(whole)) * scale).rounded())
        let digits = String(fraction)
        let padded = String(repeating: "0", count: max(decimals - digits.count, 0)) + digits
        return (rounded < 0 ? "-" : "") + "\(whole).\(padded)"
    }

    static func padded(_ text: String, _ count: Int) -> String {
        text.count >= count ? text : text + String(repeating: " ", count: count - text.count)
    }

    private func truncated(_ text: String) -> String {
        guard width > 0, text.count > width else { return text }
        return String(text.prefix(width))
    }

    private func styled(_ text: String, _ style: Style) -> String {
        guard ansi else { return text }
        let code = switch style {
        case .none: ""
        case .header: "\u{1B}[7m"
        case .red: "\u{1B}[1;31m"
        case .yellow: "\u{1B}[1;33m"
        case .cyan: "\u{1B}[36m"
        case .dim: "\u{1B}[2m"
        }
        return code.isEmpty ? text : code + text + "\u{1B}[0m"
    }
}
