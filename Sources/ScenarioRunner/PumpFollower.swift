import Foundation

/// Makes a chair's simulated patient follow its simulated pump, as docs/SIMULATORS.md asks of a
/// harness: the pump's delivery rate, measured from its infused volume, is sent to the monitor as
/// `infusion-rate <mg/h>` whenever it changes. So the patient responds to what the pump really did
/// (a pause, a lower rate), in patient time.
final class PumpFollower {
    private let pumpControl: String
    private let monitorControl: String
    private let concentration: Double
    private var lastSample: (time: Date, infused: Double)?
    private var lastSentRate: Double?
    var isEnabled: Bool

    /// Samples closer together than this measure the pump's 10 ms steps more than its rate.
    static let sampleInterval = 1.0
    /// A rate change smaller than this fraction is sampling jitter, not a titration.
    static let changeThreshold = 0.05

    init(pumpControl: String, monitorControl: String, concentration: Double, enabled: Bool) {
        self.pumpControl = pumpControl
        self.monitorControl = monitorControl
        self.concentration = concentration
        isEnabled = enabled
    }

    /// Samples the pump when a sample is due and tells the monitor about a changed rate. A
    /// simulator that does not answer (unplugged pumps still answer their control socket) is skipped.
    func poll(now: Date = Date()) {
        guard isEnabled else { return }
        if let last = lastSample, now.timeIntervalSince(last.time) < Self.sampleInterval { return }
        guard let state = try? SocketLineConnection.controlRequest("state", at: pumpControl, timeout: 2),
            let infused = Self.value(of: "infused_ml", in: state)
        else { return }
        defer { lastSample = (now, infused) }
        guard let last = lastSample else { return }
        let hours = now.timeIntervalSince(last.time) / 3600
        let milligramsPerHour = max(0, infused - last.infused) / hours * concentration
        if let sent = lastSentRate {
            let stoppedOrStarted = (sent == 0) != (milligramsPerHour == 0)
            guard stoppedOrStarted || abs(milligramsPerHour - sent) > Self.changeThreshold * max(sent, 1e-9) else { return }
        }
        let text = String(format: "%.3f", milligramsPerHour)
        if (try? SocketLineConnection.controlRequest("infusion-rate \(text)", at: monitorControl, timeout: 2)) != nil {
            lastSentRate = milligramsPerHour
        }
    }

    /// The number after `key=` in a simulator's `state` answer.
    static func value(of key: String, in state: String) -> Double? {
        for word in state.split(separator: " ") where word.hasPrefix(key + "=") {
            return Double(word.dropFirst(key.count + 1))
        }
        return nil
    }
}
