extension DashboardRenderer {
    /// The lines of one chair's panel: session, pump, prediction, vitals, alarms, links.
    func chairLines(_ panel: ChairPanel, now: Int64, selected: Bool) -> [(String, Style)] {
        var lines: [(String, Style)] = [(sessionLine(panel, selected: selected), .none)]
        lines.append((pumpLine(panel, now: now), .none))
        if let prediction = predictionLine(panel) { lines.append(prediction) }
        if let causes = panel.confirmingCuffReadingFor {
            // infusiond cannot start the cuff on any supported monitor: a person must (docs/SIMULATORS.md).
            let text = "   >>> START A CUFF MEASUREMENT on the monitor now: \(causes.joined(separator: ", ")) "
                + "awaits its confirming reading before the pump is paused"
            lines.append((text, .yellow))
        }
        for (label, parameter, unit, decimals) in Self.vitalRows {
            guard let vital = panel.vitals[parameter] else { continue }
            lines.append(vitalLine(label, vital, unit: unit, decimals: decimals, now: now))
        }
        if let nibp = nibpLine(panel, now: now) { lines.append(nibp) }
        if !panel.observations.isEmpty {
            let scores = panel.observations.keys.sorted().compactMap { scale in
                panel.observations[scale].map { "\(scale) \($0.value) (\(Self.seconds(max(now - $0.time, 0)) / 60) min ago)" }
            }
            lines.append(("   Obs: " + scores.joined(separator: ", "), .none))
        }
        if !panel.medications.isEmpty {
            let given = panel.medications.map {
                "\($0.drug) \(Self.number($0.dose, $0.dose.rounded() == $0.dose ? 0 : 1)) \($0.unit) \($0.route) (\(Self.seconds(max(now - $0.time, 0)) / 60) min ago)"
            }
            lines.append(("   Meds: " + given.joined(separator: ", "), .none))
        }
        if !panel.dueObservations.isEmpty {
            let due = panel.dueObservations.map { "\($0.scale) (due \(Self.seconds(max(now - $0.since, 0)) / 60) min)" }
            lines.append(("   >>> OBSERVE: " + due.joined(separator: ", "), .yellow))
        }
        for alarm in panel.sortedAlarms {
            lines.append((alarmText(alarm, audioPausedUntil: panel.audioPausedUntil, now: now), alarmStyle(alarm)))
        }
        if let until = panel.audioPausedUntil, until > now {
            lines.append(("   audio paused, \(Self.seconds(until - now)) s left", .dim))
        }
        if !panel.devices.isEmpty {
            let links = panel.devices.keys.sorted().map { "\($0) \(panel.devices[$0] ?? "?")" }
            lines.append(("   Links: " + links.joined(separator: ", "), .dim))
        }
        return lines
    }

    private func sessionLine(_ panel: ChairPanel, selected: Bool) -> String {
        var line = "\(selected ? ">" : " ")Chair \(panel.id): \(panel.state)"
        if let profile = panel.profileID {
            line += "  \(profile)"
            if let drug = panel.drugName { line += " (\(drug))" }
        }
        if let weight = panel.weightKilograms { line += ", \(Self.number(weight, 1)) kg" }
        return line
    }

    /// Rate in mL/h and in the program's dose unit, dose against the programmed dose, time left.
    private func pumpLine(_ panel: ChairPanel, now: Int64) -> String {
        var line = "   Pump  "
        if let uncertain = panel.deliveryUncertainReason {
            line += "flow UNKNOWN (\(uncertain))"
        } else {
            line += panel.flowMillilitresPerHour.map { "\(Self.number($0, 2)) mL/h" } ?? "- mL/h"
        }
        if let rate = panel.doseRate, let unit = panel.doseRateUnit, unit != "mL/h" {
            line += " = \(Self.number(rate, 3)) \(unit)"
        }
        if let state = panel.pumpState { line += "  pump \(state)" }
        if panel.profileID != nil {
            let delivered = panel.deliveredMilligrams.map { Self.number($0, 2) } ?? "0"
            let programmed = panel.programmedMilligrams.map { Self.number($0, 2) } ?? "open"
            line += "  dose \(delivered) / \(programmed) mg"
        }
        if let left = panel.syringeRemainingMillilitres { line += "  syringe \(Self.number(left, 2)) mL left" }
        if let completion = panel.estimatedCompletion, panel.state == "infusing" {
            let left = Self.seconds(max(completion - now, 0))
            line += "  \(left / 60) min \(left % 60) s left"
        }
        if let ends = panel.bolusEndsAt, panel.state == "infusing" {
            line += "  BOLUS \(Self.seconds(max(ends - now, 0))) s left"
        }
        return line
    }

    /// The predicted plasma concentration with the profile's band, flagged when outside it.
    private func predictionLine(_ panel: ChairPanel) -> (String, Style)? {
        guard let concentration = panel.predictedConcentration else { return nil }
        var line = "   Predicted Cp \(Self.number(concentration, 1)) ng/mL"
        var limits: [String] = []
        if let soft = panel.softConcentrationLimit { limits.append("soft \(Self.number(soft, 0))") }
        if let hard = panel.hardConcentrationLimit { limits.append("hard \(Self.number(hard, 0))") }
        guard !limits.isEmpty else { return (line, .none) }
        line += "  band ≤ " + limits.joined(separator: ", ≤ ")
        if let hard = panel.hardConcentrationLimit, concentration > hard { return (line + "  ABOVE HARD LIMIT", .red) }
        if let soft = panel.softConcentrationLimit, concentration > soft { return (line + "  above soft limit", .yellow) }
        return (line + "  within", .none)
    }

    /// `   SpO2   97   %     pleth  2 s ago ▁▂▃`: value, unit, source and age. A flagged reading shows `--`
    /// with its flags; a stale one shows `--` and `STALE: last 97, 42 s ago`, never the old value as current.
    private func vitalLine(_ label: String, _ vital: ChairPanel.Vital, unit: String, decimals: Int, now: Int64) -> (String, Style) {
        let age = Self.seconds(max(now - vital.time, 0))
        let source = Self.padded(vital.source.map(Self.sourceName) ?? "", 6)
        let head = "   \(Self.padded(label, 6)) "
        if vital.isStale(at: now) {
            let last = vital.history.last.map { "last \(Self.number($0.value, decimals)), " } ?? ""
            return (head + "\(Self.padded("--", 4)) \(Self.padded(unit, 5)) \(source) STALE: \(last)\(age) s ago", .yellow)
        }
        let value = vital.latest.map { Self.number($0, decimals) } ?? "--"
        var row = head + "\(Self.padded(value, 4)) \(Self.padded(unit, 5)) \(source) \(age) s ago"
        if !vital.flags.isEmpty { row += " (\(vital.flags.joined(separator: ", ")))" }
        return (row + " " + Self.sparkline(vital.history.map(\.value)), .none)
    }

    /// `   NIBP   142/88 (106) mmHg, 12 s ago ▁▂`; once the reading is overdue,
    /// `   NIBP   --/-- mmHg, STALE: last 142/88 (106), 500 s ago`.
    private func nibpLine(_ panel: ChairPanel, now: Int64) -> (String, Style)? {
        guard let systolic = panel.vitals["nibpSystolic"] else { return nil }
        let diastolic = panel.vitals["nibpDiastolic"]?.latest.map { Self.number($0, 0) } ?? "--"
        let mean = panel.vitals["nibpMean"]?.latest.map { " (\(Self.number($0, 0)))" } ?? ""
        let age = Self.seconds(max(now - systolic.time, 0))
        let value = "\(systolic.latest.map { Self.number($0, 0) } ?? "--")/\(diastolic)\(mean)"
        if systolic.isStale(at: now) {
            return ("   NIBP   --/-- mmHg, STALE: last \(value), \(age) s ago", .yellow)
        }
        return ("   NIBP   \(value) mmHg, \(age) s ago " + Self.sparkline(systolic.history.map(\.value)), .none)
    }

    /// How a source is named on screen.
    static func sourceName(_ source: String) -> String {
        source == "ecg" ? "ECG" : source
    }

    /// `*** heartRateHigh (high)` with its inactivation state, so colour is not the only cue.
    private func alarmText(_ alarm: ChairPanel.Alarm, audioPausedUntil: Int64?, now: Int64) -> String {
        var text = "   \(Self.prefix(alarm.priority)) \(alarm.condition) (\(alarm.priority))"
        if alarm.latched { text += " latched" }
        if alarm.acknowledged { text += " acknowledged" }
        if alarm.audioPaused, !alarm.acknowledged {
            text += " audio paused"
            if let until = audioPausedUntil, until > now { text += ", \(Self.seconds(until - now)) s left" }
        }
        return text
    }

    /// Label, parameter, unit and decimals of each continuous vital's row (cuff pressures have their own line).
    private static let vitalRows = [
        ("SpO2", "spo2", "%", 0), ("Pulse", "pulseRate", "/min", 0), ("HR", "ecgHeartRate", "/min", 0),
        ("PI", "perfusionIndex", "%", 1), ("Resp", "respiratoryRate", "/min", 0),
    ]

    /// Whole seconds of a nanosecond span.
    static func seconds(_ nanoseconds: Int64) -> Int64 { nanoseconds / 1_000_000_000 }
}
