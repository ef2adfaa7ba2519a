import Foundation

extension SimulatedChair {
    /// Chair 1 as `status` shows it now.
    func chairStatus(_ client: LineClient) throws -> [String: Any] {
        (try client.request(#"{"cmd":"status"}"#).result["chairs"] as? [[String: Any]])?.first ?? [:]
    }

    /// Chair 1's `vitals` from `status`, by parameter.
    func vitals(_ client: LineClient) throws -> [String: [String: Any]] {
        var byParameter: [String: [String: Any]] = [:]
        for entry in (try chairStatus(client)["vitals"] as? [[String: Any]]) ?? [] {
            if let parameter = entry["parameter"] as? String { byParameter[parameter] = entry }
        }
        return byParameter
    }

    /// A simulator's `state` line as key/value pairs.
    func simulatorState(_ device: String) throws -> [String: String] {
        var fields: [String: String] = [:]
        for pair in try control(device, "state").split(separator: " ") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]).trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        return fields
    }

    /// The monitor's link as `devices` lists it (`up` or `down`).
    func monitorLink(_ client: LineClient) throws -> String? {
        let devices = try client.request(#"{"cmd":"devices"}"#).result["devices"] as? [[String: Any]] ?? []
        return devices.first { $0["role"] as? String == "monitor" }?["link"] as? String
    }

    /// Waits for `alarm.<transition>` of `condition` on a client watching `alarms`; returns its detail.
    func waitForAlarm(
        _ transition: String, _ condition: String, on watcher: LineClient, timeout: Double = 20
    ) throws -> [String: Any] {
        try waitForEvent(on: watcher, timeout: timeout) {
            $0["event"] as? String == "alarm.\(transition)" && $0.detail["condition"] as? String == condition
        }.detail
    }

    /// `infusionctl top --once`, gathering events for `gather` seconds.
    func topOnce(gather: Double = 1) throws -> String {
        try Shell.run(
            "'\(BuiltProducts.path("infusionctl"))' top --once --gather \(gather) --socket '\(daemon.socketPath)'", timeout: 30
        ).stdout
    }
}

/// Waits until `condition` holds, polling every 200 ms; returns whether it did before `timeout` seconds.
func eventually(within timeout: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        usleep(200_000)
    }
    return try condition()
}
