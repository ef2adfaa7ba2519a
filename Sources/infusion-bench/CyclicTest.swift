import Foundation

/// cyclictest (Debian rt-tests) at the control loop's interval and priority, started beside the
/// control-loop measurement so both see the same machine at the same moments.
final class CyclicTest {
    static let path = "/usr/bin/cyclictest"
    private let process = Process()
    private let output = Pipe()
    private let reader: Thread

    /// Starts `cyclictest -m -p PRIORITY -i INTERVAL -l LOOPS -q -h 20000` (without `-m -p` when
    /// `priority` is nil: normal priority, memory not locked); nil when not installed.
    init?(priority: Int32?, intervalMicroseconds: Int, seconds: Double) {
        guard FileManager.default.isExecutableFile(atPath: Self.path) else { return nil }
        let loops = max(100, Int(seconds * 1_000_000) / intervalMicroseconds)
        process.executableURL = URL(fileURLWithPath: Self.path)
        let scheduling = priority.map { ["-m", "-p", "\($0)"] } ?? []
        process.arguments = scheduling + ["-i", "\(intervalMicroseconds)", "-l", "\(loops)", "-q", "-h", "20000"]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let handle = output.fileHandleForReading
        let box = DataBox()
        reader = Thread { box.data = handle.readDataToEndOfFile() }
        self.box = box
        guard (try? process.run()) != nil else { return nil }
        reader.start()
    }

    private let box: DataBox
    private final class DataBox: @unchecked Sendable { var data = Data() }

    /// Waits for cyclictest to finish and returns its samples in microseconds, one per histogram count.
    func finish() -> [Double] {
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        var samples: [Double] = []
        var overflows = 0
        var maximum = 0.0
        for line in String(decoding: box.data, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" })
            if line.hasPrefix("# Histogram Overflows") {
                overflows = fields.compactMap { Int($0) }.first ?? 0
            } else if line.hasPrefix("# Max Latencies") {
                maximum = Double(fields.compactMap { Int($0) }.first ?? 0)
            } else if !line.hasPrefix("#") {
                let numbers = fields.compactMap { Int($0) }
                guard numbers.count >= 2, numbers[1] > 0 else { continue }
                samples += Array(repeating: Double(numbers[0]), count: numbers[1])
            }
        }
        // Wake-ups past the 20 ms histogram are only counted; they are placed at the reported maximum.
        samples += Array(repeating: maximum, count: overflows)
        return samples
    }
}
