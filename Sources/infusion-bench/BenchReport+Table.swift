/// The report as the Markdown tables scripts/bench prints and copies into docs/PERFORMANCE.md.
extension BenchReport {
    var table: String {
        let tick = controlTick
        func latencyRow(_ name: String, _ p: Percentiles?, scale: Double = 1) -> String {
            guard let p else { return "| \(name) | not available | | | | |" }
            let values = [p.p50, p.p99, p.p999, p.max].map { Self.format($0 / scale) }
            return "| \(name) | \(p.samples) | " + values.joined(separator: " | ") + " |"
        }
        var lines = [
            "Machine: \(machine.cores) cores, kernel \(machine.kernel)\(machine.preemptRT ? " (PREEMPT_RT)" : " (not PREEMPT_RT)")"
                + "\(machine.virtualMachine ? ", virtual machine" : ""), load average \(Self.format(machine.loadAverageAtStart)) at start;"
                + " control thread \(tick.realtime ? "SCHED_FIFO" : "normal priority (SCHED_FIFO not requested or not granted)").",
            "",
            "| goal | target | measured | met |",
            "|---|---|---|---|",
        ]
        lines += goals.map { "| \($0.metric) | \($0.goal) | \($0.measured) | \($0.met ? "yes" : "**no**") |" }
        lines += [
            "",
            "Control-tick wake-up, \(tick.chairs) chairs infusing, \(Self.format(tick.tickMilliseconds)) ms tick, "
                + "\(Self.format(tick.seconds, decimals: 0)) s; cyclictest ran \(tick.cyclictestMode):",
            "",
            "| wake-up latency (µs) | samples | p50 | p99 | p99.9 | max |",
            "|---|---|---|---|---|---|",
            latencyRow("control tick (ControlLoop)", tick.wakeUpMicroseconds),
            latencyRow("cyclictest, same time", tick.cyclictestMicroseconds),
        ]
        if let cyclic = tick.cyclictestMicroseconds {
            let ratios = [(tick.wakeUpMicroseconds.p50, cyclic.p50), (tick.wakeUpMicroseconds.p99, cyclic.p99),
                (tick.wakeUpMicroseconds.p999, cyclic.p999), (tick.wakeUpMicroseconds.max, cyclic.max)]
                .map { Self.format($0.0 / max($0.1, 1)) }
            lines.append("| ratio | | " + ratios.joined(separator: " | ") + " |")
        }
        lines += [
            "",
            "infusiond (release) with \(steadyState.chairs) simulated NE-1000 pumps and Masimo monitors on ptys:",
            "",
            "| latency (ms) | samples | p50 | p99 | p99.9 | max |",
            "|---|---|---|---|---|---|",
            latencyRow("socket `rate` → `RAT` readable on pump pty", commandToWireMicroseconds, scale: 1000),
            latencyRow("the same `rate` → its reply on the socket", commandToReplyMicroseconds, scale: 1000),
            latencyRow("monitor line over limit → `STP` readable on pump pty", vitalsToPauseMicroseconds, scale: 1000),
            latencyRow("under full load: `rate` → `RAT` readable on pump pty", loadedCommandToWireMicroseconds, scale: 1000),
            latencyRow("under full load: the same `rate` → its reply", loadedCommandToReplyMicroseconds, scale: 1000),
            latencyRow("under full load: monitor line over limit → `STP`", loadedVitalsToPauseMicroseconds, scale: 1000),
            latencyRow("the disk alone: 4 KiB + `fdatasync` in the audit directory (a durable reply's floor)", diskSyncMicroseconds, scale: 1000),
        ]
        lines += fanOut.map { latencyRow("`notice` → slowest of \($0.watchers) watchers", $0.slowestWatcherMicroseconds, scale: 1000) }
        let steady = steadyState
        lines += [
            "",
            "Full load for \(Self.format(steady.seconds, decimals: 0)) s: \(steady.chairsInfusing) of \(steady.chairs) chairs infusing, "
                + "\(steady.watchers) watchers of every topic receiving \(Self.format(steady.eventLinesPerSecond, decimals: 0)) lines/s in all; "
                + "infusiond CPU \(Self.format(steady.cpuPercentOfOneCore)) % of one core, VmRSS \(Self.format(steady.rssMiB)) MiB "
                + "(peak \(Self.format(steady.peakRSSMiB)), VmHWM \(Self.format(steady.highWaterRSSMiB))), "
                + "\(steady.missedTicks) missed ticks of \(steady.ticks). Start → READY=1 runs (ms): "
                + startToReadyMilliseconds.runs.map { Self.format($0, decimals: 1) }.joined(separator: ", ") + ".",
        ]
        lines += fanOutBesideGpsdTable
        return lines.joined(separator: "\n")
    }
}
