import Foundation

/// CPU time of a process to the nanosecond: the sum of the first field of
/// `/proc/PID/task/*/schedstat` (time on a CPU, in ns, per thread). /proc/PID/stat counts in clock
/// ticks (10 ms here), too coarse for a daemon that spends well under a millisecond per report over
/// a 20-second window. A thread that exits between two readings takes its time with it, so the
/// comparison also keeps the /proc/PID/stat figure (`ProcessUsage.cpuSeconds`) as a cross-check.
enum ProcessCPU {
    static func nanoseconds(pid: Int32) -> Int64? {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") else { return nil }
        var total: Int64 = 0
        for task in tasks {
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/schedstat", encoding: .utf8),
                let first = text.split(separator: " ").first, let value = Int64(first)
            else { continue }
            total += value
        }
        return total
    }
}
