import Foundation
import Glibc
import InfusionDaemon

/// One daemon's side of the fan-out comparison: the benchmark writes numbered reports at a fixed
/// rate to the device pty the daemon reads and, on the same SCHED_FIFO thread (when permitted),
/// reads every watcher's connection, stamping each read when poll returns. A receipt is a line
/// that names a report (`keyInLine`); its latency runs from just before that report's pty write.
/// The daemon's CPU is read just before the first measured report and again one report period
/// after the last, so it covers exactly the measured reports and every idle wake-up between them.
///
/// The first `warmUpSeconds` of reports are written but not counted: gpsd learns which sentence
/// ends an NMEA cycle from the first cycles, and both daemons open the device and fill caches.
struct PacedReportRun {
    /// The pty the daemon reads the reports from.
    var device: BenchPty
    /// Connected descriptors, each already subscribed to the reports' events.
    var watchers: [Int32]
    var daemonPID: Int32
    /// The bytes of report n.
    var report: @Sendable (Int) -> [UInt8]
    /// The key a receipt of report n carries (unique among the reports in flight).
    var key: @Sendable (Int) -> Int
    /// The key in a watcher's line, nil for a line that is no receipt.
    var keyInLine: @Sendable (ArraySlice<UInt8>) -> Int?
    var hertz: Double = 10
    var warmUpSeconds: Double
    var seconds: Double
    /// SCHED_FIFO priority for the benchmark's thread; nil for normal priority.
    var priority: Int32?

    struct Result: Codable {
        var watchers: Int
        var reports: Int
        /// Receipts of measured reports, over all watchers (`reports × watchers` when none was lost).
        var receipts: Int
        /// Write → receipt, every watcher's receipt of every measured report.
        var latencyMicroseconds: Percentiles
        /// The daemon's CPU over the measured reports ÷ reports (per-thread schedstat, ns resolution).
        var cpuMillisecondsPerReport: Double
        /// The same from /proc/PID/stat utime + stime (10 ms clock ticks), as a cross-check.
        var statCPUMillisecondsPerReport: Double
        /// `cpuMillisecondsPerReport` by thread name (numbered threads of a kind together): where it goes.
        var cpuMillisecondsPerReportByThread: [String: Double]
    }

    /// Runs on a thread of its own and waits for it.
    func run() -> Result {
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox()
        let run = self
        RealtimeThread.start(name: "bench-paced", priority: priority, lockMemory: false) { _ in
            box.result = run.measure()
            done.signal()
        }
        done.wait()
        return box.result!
    }

    private final class ResultBox: @unchecked Sendable { var result: Result? }

    private func measure() -> Result {
        let period = Int64(1e9 / hertz)
        let warmUp = Int((warmUpSeconds * hertz).rounded())
        let measured = max(1, Int((seconds * hertz).rounded()))
        var pending: [Int: (sequence: Int, written: Int64)] = [:]
        var latencies: [Double] = []
        latencies.reserveCapacity(measured * watchers.count)
        var chunk = [UInt8](repeating: 0, count: 65536)
        var lines = PolledLines(watchers)
        var cpuStart = CPUSample(threads: [:], stat: 0)
        var cpuEnd: CPUSample?
        var sequence = 0
        let start = BenchClock.now()
        var nextWrite = start
        let measuredEnd = start + Int64(warmUp + measured) * period
        // Late receipts are waited for up to a second after the measured window.
        let deadline = measuredEnd + 1_000_000_000

        while true {
            let now = BenchClock.now()
            if sequence < warmUp + measured, now >= nextWrite {
                if sequence == warmUp { cpuStart = cpuSample() }
                let bytes = report(sequence)
                let stamp = BenchClock.now()
                device.write(bytes)
                pending[key(sequence)] = (sequence, stamp)
                sequence += 1
                nextWrite += period
                _ = device.read(into: &chunk)
                continue
            }
            if cpuEnd == nil, now >= measuredEnd { cpuEnd = cpuSample() }
            if cpuEnd != nil, latencies.count >= measured * watchers.count || now >= deadline { break }
            let wakeAt = sequence < warmUp + measured ? nextWrite : (cpuEnd == nil ? measuredEnd : deadline)
            let wait = Int32(max(0, (wakeAt - now + 999_999) / 1_000_000))
            guard lines.wait(milliseconds: wait) else { continue }
            let received = BenchClock.now()
            lines.readReady { line in
                if let key = keyInLine(line), let report = pending[key], report.sequence >= warmUp {
                    latencies.append(BenchClock.microseconds(from: report.written, to: received))
                }
            }
        }
        let end = cpuEnd ?? cpuSample()
        let perReport = ProcessCPU.spent(from: cpuStart.threads, to: end.threads).mapValues { Double($0) / 1e6 / Double(measured) }
        return Result(
            watchers: watchers.count, reports: measured, receipts: latencies.count,
            latencyMicroseconds: Percentiles(latencies),
            cpuMillisecondsPerReport: perReport.values.reduce(0, +),
            statCPUMillisecondsPerReport: (end.stat - cpuStart.stat) * 1000 / Double(measured),
            cpuMillisecondsPerReportByThread: perReport)
    }

    private struct CPUSample {
        var threads: [Int: ProcessCPU.ThreadTime]
        var stat: Double
    }

    private func cpuSample() -> CPUSample {
        CPUSample(threads: ProcessCPU.byThread(pid: daemonPID) ?? [:], stat: ProcessUsage.cpuSeconds(pid: daemonPID) ?? 0)
    }
}
