import Foundation

/// The latency measurements of `ClinicBench`, each sample started from a quiet state.
extension ClinicBench {
    /// Rate changes on infusing chair 1, alternating 0.6 and 0.7 mg/kg/h (under the 0.75 soft rate
    /// limit; the increases come faster than the 5-minute titration interval, so they carry an
    /// override with its reason, as a clinician's would): from the instant before the request is written to the socket to the poll wake-up
    /// that finds the `RAT` command readable on the pump's pty. Between samples the driver gets time
    /// to finish its read-back, as an operator's titrations are seconds apart.
    /// Also returns, for comparison, the time to the reply on the socket (the control thread's
    /// answer, without the device path).
    func measureCommandToWire(_ admin: LineSocket, devices: BenchDevices) throws -> (wire: [Double], reply: [Double]) {
        var latencies: [Double] = []
        var replies: [Double] = []
        for sample in 0..<commandSamples {
            let rate = sample % 2 == 0 ? 0.6 : 0.7
            let (sent, reply, received) = try admin.timedRequest(
                #"{"cmd":"rate","chair":"1","rate":\#(rate),"unit":"mg/kg/h","confirm":true,"reason":"benchmark"}"#)
            guard reply.isOK else { throw BenchError("rate refused: \(reply)") }
            guard let wire = devices.wireLog.first(.setRate, chair: 0, after: sent, timeout: 3) else {
                throw BenchError("no RAT reached pump 1 within 3 s")
            }
            latencies.append(BenchClock.microseconds(from: sent, to: wire.time))
            replies.append(BenchClock.microseconds(from: sent, to: received))
            usleep(40_000)
        }
        return (latencies, replies)
    }

    /// On infusing chair 2: one Masimo line with pulse 150/min (high heart rate, condition delay 0)
    /// written to the monitor's pty, to the poll wake-up that finds `STP` readable on the pump's
    /// pty. Then a normal line, `ack` and `resume` (refused while the condition is present or
    /// unacknowledged, so retried), and the `RUN` awaited, before the next sample.
    func measureVitalsToPause(_ admin: LineSocket, devices: BenchDevices) throws -> [Double] {
        var latencies: [Double] = []
        for _ in 0..<interlockSamples {
            let written = devices.sendVitals(chair: 1, pulse: 150)
            guard let pause = devices.wireLog.first(.pause, chair: 1, after: written, timeout: 3) else {
                throw BenchError("no STP reached pump 2 within 3 s of a pulse of 150")
            }
            latencies.append(BenchClock.microseconds(from: written, to: pause.time))
            devices.sendVitals(chair: 1, pulse: BenchDevices.normalPulse)
            try resume(chair: 2, admin: admin)
            guard devices.wireLog.first(.run, chair: 1, after: written, timeout: 3) != nil else {
                throw BenchError("no RUN reached pump 2 after resume")
            }
            usleep(100_000)
        }
        return latencies
    }

    /// Acknowledges the chair's alarms and resumes, retrying while the core still refuses.
    private func resume(chair: Int, admin: LineSocket) throws {
        let deadline = Date().addingTimeInterval(10)
        while true {
            _ = try admin.request(#"{"cmd":"ack","chair":"\#(chair)"}"#)
            let reply = try admin.request(#"{"cmd":"resume","chair":"\#(chair)"}"#)
            if reply.isOK { return }
            guard Date() < deadline else { throw BenchError("chair \(chair) did not resume: \(reply)") }
            usleep(20_000)
        }
    }

    /// For 1, 10, 100 and `watchers` clients watching `notices`: from the instant before an admin's
    /// `notice` request is written to the socket to the poll wake-up that finds the event readable
    /// on the last watcher's connection.
    func measureFanOut(_ admin: LineSocket, socketPath: String) throws -> [FanOutResult] {
        var results: [FanOutResult] = []
        for count in [1, 10, 100, watchers] where count <= watchers && !results.contains(where: { $0.watchers == count }) {
            let pool = try WatcherPool(count: count, socketPath: socketPath, topics: ["notices"])
            pool.start(priority: priority)
            defer { pool.stop() }
            var slowest: [Double] = []
            for sample in 0..<fanOutSamples {
                let text = "fan-out-\(count)-\(sample)"
                let (sent, reply, _) = try admin.timedRequest(#"{"cmd":"notice","text":"\#(text)"}"#)
                guard reply.isOK else { throw BenchError("notice refused: \(reply)") }
                guard let arrivals = pool.arrivals(of: text, timeout: 5), let last = arrivals.max() else {
                    throw BenchError("notice \(text) did not reach all \(count) watchers within 5 s")
                }
                slowest.append(BenchClock.microseconds(from: sent, to: last))
                usleep(10_000)
            }
            results.append(FanOutResult(watchers: count, slowestWatcherMicroseconds: Percentiles(slowest)))
        }
        return results
    }
}
