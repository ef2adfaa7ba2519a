/// The side-by-side fan-out of infusiond and gpsd as a Markdown table.
extension BenchReport {
    var fanOutBesideGpsdTable: [String] { Self.fanOutBesideGpsdTable(fanOutBesideGpsd ?? []) }

    static func fanOutBesideGpsdTable(_ comparisons: [FanOutComparison.Result]) -> [String] {
        guard let first = comparisons.first else { return [] }
        var lines = [
            "",
            "Fan-out beside gpsd 3.22, \(first.infusiond.reports) reports at 10 Hz per run: write to the device pty → each watcher's "
                + "receipt (infusiond: the report's pulse-rate `vital` event; gpsd: its TPV), and the daemon's CPU per report "
                + "(all its threads' schedstat run time over the run ÷ reports; /proc/PID/stat's 10 ms ticks in brackets). "
                + "infusiond's chair has no patient; the row \"patient in the chair\" (not compared) is the same after an `intake`:",
            "",
            "| watchers | daemon | receipts | p50 (ms) | p99 (ms) | max (ms) | CPU per report (ms) |",
            "|---|---|---|---|---|---|---|",
        ]
        var breakdown = ["", "Where infusiond's CPU per report went, by thread (ms; threads under 0.005 left out):", ""]
        for comparison in comparisons {
            var sides = [("infusiond", comparison.infusiond)]
            if let watching = comparison.infusiondWatchingAPatient { sides.append(("infusiond, patient in the chair", watching)) }
            for (name, side) in sides + [("gpsd", comparison.gpsd)] {
                let latency = side.latencyMicroseconds
                lines.append(
                    "| \(comparison.watchers) | \(name) | \(side.receipts) of \(side.reports * side.watchers) | "
                        + [latency.p50, latency.p99, latency.max].map { Self.format($0 / 1000, decimals: 3) }.joined(separator: " | ")
                        + " | \(Self.format(side.cpuMillisecondsPerReport, decimals: 3)) (\(Self.format(side.statCPUMillisecondsPerReport, decimals: 2))) |")
            }
            for (name, side) in sides {
                let threads = side.cpuMillisecondsPerReportByThread.filter { $0.value >= 0.005 }.sorted { $0.value > $1.value }
                breakdown.append(
                    "- \(comparison.watchers) watchers, \(name): "
                        + threads.map { "\($0.key) \(Self.format($0.value, decimals: 3))" }.joined(separator: ", "))
            }
            let ours = comparison.infusiond
            let theirs = comparison.gpsd
            let ratios = [
                ours.latencyMicroseconds.p50 / theirs.latencyMicroseconds.p50,
                ours.latencyMicroseconds.p99 / theirs.latencyMicroseconds.p99,
                ours.latencyMicroseconds.max / theirs.latencyMicroseconds.max,
            ].map { Self.format($0) + "×" }
            lines.append(
                "| \(comparison.watchers) | ratio | | " + ratios.joined(separator: " | ") + " | "
                    + Self.format(ours.cpuMillisecondsPerReport / theirs.cpuMillisecondsPerReport) + "× |")
        }
        return lines + breakdown
    }
}
