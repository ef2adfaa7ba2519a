import Foundation

/// Latency percentiles in microseconds.
struct Percentiles: Codable {
    var samples: Int
    var p50: Double
    var p99: Double
    var p999: Double
    var max: Double

    init(_ values: [Double]) {
        let sorted = values.sorted()
        func at(_ fraction: Double) -> Double {
            guard !sorted.isEmpty else { return .nan }
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.down)))]
        }
        samples = sorted.count
        p50 = at(0.5)
        p99 = at(0.99)
        p999 = at(0.999)
        max = sorted.last ?? .nan
    }
}

/// One benchmark run's results.
struct BenchReport: Codable {
    var chairs: Int
    var tickMilliseconds: Double
    var seconds: Double
    var realtime: Bool
    var controlWakeUpMicroseconds: Percentiles
    var cyclictestMicroseconds: Percentiles?
    var allocationsPerIdleTick: Double
    var allocationsPerInfusingTick: Double

    var table: String {
        func row(_ name: String, _ p: Percentiles?) -> String {
            guard let p else { return "| \(name) | (cyclictest not available) | | | | |" }
            return "| \(name) | \(p.samples) | \(format(p.p50)) | \(format(p.p99)) | \(format(p.p999)) | \(format(p.max)) |"
        }
        func ratio(_ a: Double, _ b: Double?) -> String { b.map { $0 > 0 ? format(a / $0) : "-" } ?? "-" }
        var lines = [
            "control thread: \(chairs) chairs, tick \(format(tickMilliseconds)) ms, \(realtime ? "SCHED_FIFO" : "normal priority (SCHED_FIFO refused)"), \(format(seconds)) s measured",
            "",
            "| wake-up latency (µs) | samples | p50 | p99 | p99.9 | max |",
            "|---|---|---|---|---|---|",
            row("infusiond control tick", controlWakeUpMicroseconds),
            row("cyclictest, same run", cyclictestMicroseconds),
        ]
        if let cyclic = cyclictestMicroseconds {
            lines.append("| ratio control / cyclictest | | \(ratio(controlWakeUpMicroseconds.p50, cyclic.p50)) | \(ratio(controlWakeUpMicroseconds.p99, cyclic.p99)) | \(ratio(controlWakeUpMicroseconds.p999, cyclic.p999)) | \(ratio(controlWakeUpMicroseconds.max, cyclic.max)) |")
        }
        lines += [
            "",
            "| heap allocations on the control thread | per tick |",
            "|---|---|",
            "| idle chairs, no input | \(format(allocationsPerIdleTick, decimals: 3)) |",
            "| every chair infusing, vitals and read-backs at 1 Hz | \(format(allocationsPerInfusingTick, decimals: 3)) |",
        ]
        return lines.joined(separator: "\n")
    }

    private func format(_ value: Double, decimals: Int = 2) -> String { String(format: "%.\(decimals)f", value) }
}

/// cyclictest (Debian rt-tests) at the same interval and priority, its histogram turned into samples.
enum CyclicTest {
    static func run(priority: Int32, intervalMicroseconds: Int, seconds: Double) -> [Double]? {
        let path = "/usr/bin/cyclictest"
        guard FileManager.default.isExecutableFile(atPath: path) else { return nil }
        let loops = max(100, Int(seconds * 1_000_000) / intervalMicroseconds)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-m", "-p", "\(priority)", "-i", "\(intervalMicroseconds)", "-l", "\(loops)", "-q", "-h", "20000"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        // Histogram lines: "<microseconds> <count>"; one sample per count.
        var samples: [Double] = []
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Int($0) }
            guard fields.count >= 2, fields[1] > 0 else { continue }
            samples += Array(repeating: Double(fields[0]), count: fields[1])
        }
        return samples.isEmpty ? nil : samples
    }
}
