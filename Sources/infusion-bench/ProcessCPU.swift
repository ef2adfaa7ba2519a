import Foundation

/// CPU time of a process to the nanosecond, per thread: the first field of
/// `/proc/PID/task/*/schedstat` (time on a CPU, in ns). /proc/PID/stat counts in clock
/// ticks (10 ms here), too coarse for a daemon that spends well under a millisecond per report over
/// a 20-second window. A thread that exits between two readings takes its time with it, so the
/// comparison also keeps the /proc/PID/stat figure (`ProcessUsage.cpuSeconds`) as a cross-check.
enum ProcessCPU {
    /// One thread's time on a CPU so far and its name (`/proc/PID/task/TID/comm`).
    struct ThreadTime {
        var name: String
        var nanoseconds: Int64
    }

    /// Every thread's time on a CPU, by thread id; nil when the process is gone.
    static func byThread(pid: Int32) -> [Int: ThreadTime]? {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") else { return nil }
        var threads: [Int: ThreadTime] = [:]
        for task in tasks {
            let directory = "/proc/\(pid)/task/\(task)"
            guard let id = Int(task), let text = try? String(contentsOfFile: directory + "/schedstat", encoding: .utf8),
                let first = text.split(separator: " ").first, let value = Int64(first)
            else { continue }
            let name = (try? String(contentsOfFile: directory + "/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
            threads[id] = ThreadTime(name: name, nanoseconds: value)
        }
        return threads
    }

    /// The time each thread spent between two samples, added up per thread name, with the numbers that
    /// NIO gives its event loops' threads left out (a thread that was renamed counts under its later name). A
    /// thread that exited in between is missing from `end` and counts nothing.
    static func spent(from start: [Int: ThreadTime], to end: [Int: ThreadTime]) -> [String: Int64] {
        var totals: [String: Int64] = [:]
        for (id, thread) in end {
            totals[group(thread.name), default: 0] += thread.nanoseconds - (start[id]?.nanoseconds ?? 0)
        }
        return totals
    }

    private static func group(_ name: String) -> String {
        if name.hasPrefix("NIO-ELT") { return "NIO-ELT" }
        return String(name.prefix { !$0.isNumber && $0 != "#" }).trimmingCharacters(in: CharacterSet(charactersIn: "-_ "))
    }
}
