/// What the bridge does with the one message it has outstanding, given how the engine answered
/// (docs/INTEGRATION.md "Acknowledgements"). Pure: the shell supplies the attempt count and acts on the decision.
package struct DeliveryPolicy: Codable, Equatable, Sendable {
    /// Seconds to wait for an acknowledgement before the connection is taken as broken.
    package var acknowledgementTimeoutSeconds: Double = 10
    /// How often an `AE`/`CE` message is sent again (with backoff) before it is set aside.
    package var errorRetries: Int = 5
    /// How often an `AR`/`CR` message is sent again before it is set aside: a reject rarely passes, but an
    /// engine being reconfigured may take it a moment later.
    package var rejectRetries: Int = 2
    /// Backoff between retries and reconnections: the first wait, doubled each time up to the longest.
    package var backoffInitialSeconds: Double = 0.5
    package var backoffMaximumSeconds: Double = 30

    package init() {}

    /// What to do next about the outstanding message.
    package enum Decision: Equatable, Sendable {
        /// The engine took it: make the cursor durable past it, send the next.
        case advance
        /// Send the same message (same MSH-10) again after `seconds`.
        case retry(afterSeconds: Double)
        /// Give up on it: record it in the set-aside file with the reason, count it, and move past it.
        case setAside(reason: String)
    }

    /// The decision after the engine's answer, where `refusals` counts the engine's `AE`/`AR` answers to this
    /// message so far, this one included (1 for the first). Sending again because a connection broke or an
    /// acknowledgement never came is not a refusal: an engine that is away never causes a set-aside.
    package func decide(_ acknowledgement: Acknowledgement, refusals: Int) -> Decision {
        switch acknowledgement.code.disposition {
        case .accepted:
            return .advance
        case .error:
            guard refusals <= errorRetries else { return .setAside(reason: reason(acknowledgement, refusals)) }
            return .retry(afterSeconds: backoff(attempt: refusals))
        case .rejected:
            guard refusals <= rejectRetries else { return .setAside(reason: reason(acknowledgement, refusals)) }
            return .retry(afterSeconds: backoff(attempt: refusals))
        }
    }

    private func reason(_ acknowledgement: Acknowledgement, _ refusals: Int) -> String {
        "refused \(refusals) times, last \(acknowledgement.code.rawValue): \(acknowledgement.text)"
    }

    /// The wait before attempt `attempt + 1` (or reconnection number `attempt + 1`): exponential, capped.
    package func backoff(attempt: Int) -> Double {
        var wait = backoffInitialSeconds
        for _ in 1..<max(attempt, 1) {
            wait *= 2
            if wait >= backoffMaximumSeconds { return backoffMaximumSeconds }
        }
        return min(wait, backoffMaximumSeconds)
    }

    private enum CodingKeys: String, CodingKey {
        case acknowledgementTimeoutSeconds, errorRetries, rejectRetries, backoffInitialSeconds, backoffMaximumSeconds
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = DeliveryPolicy()
        acknowledgementTimeoutSeconds =
            try container.decodeIfPresent(Double.self, forKey: .acknowledgementTimeoutSeconds)
            ?? defaults.acknowledgementTimeoutSeconds
        errorRetries = try container.decodeIfPresent(Int.self, forKey: .errorRetries) ?? defaults.errorRetries
        rejectRetries = try container.decodeIfPresent(Int.self, forKey: .rejectRetries) ?? defaults.rejectRetries
        backoffInitialSeconds =
            try container.decodeIfPresent(Double.self, forKey: .backoffInitialSeconds) ?? defaults.backoffInitialSeconds
        backoffMaximumSeconds =
            try container.decodeIfPresent(Double.self, forKey: .backoffMaximumSeconds) ?? defaults.backoffMaximumSeconds
    }
}
