import Glibc
internal import Synchronization

/// Records one serial link's raw traffic to a text file, for replay (docs/SCENARIOS.md, "Recorded
/// sessions"). One line per chunk as the link saw it:
///
///     < 12345.678901 02 41 3f ...     device → host
///     > 12345.679420 30 53 41 ...     host → device
///
/// The number is CLOCK_MONOTONIC in seconds (so the links of one daemon line up); the bytes are hex.
/// Lines starting with `#` are comments; each open of the link appends `# open <path>`.
///
/// Recording never disturbs the link: a file that cannot be opened means that link is not recorded,
/// and a failed write loses that line only. Called from the link's reader thread and from writers,
/// so appends are locked.
package final class LinkRecorder: Sendable {
    private let descriptor: Int32
    private let writing = Mutex(())

    /// Where recording is switched on for every link opened from now on; nil switches it off.
    private static let directory = Mutex<String?>(nil)

    /// Sets the directory recordings go to (`devices.recordDirectory`); nil stops new recordings.
    package static func record(into directory: String?) {
        Self.directory.withLock { $0 = directory }
    }

    /// A recorder for the link at `path` when recording is on; nil when it is off or the file cannot be opened.
    package static func forLink(path: String) -> LinkRecorder? {
        guard let directory = Self.directory.withLock({ $0 }) else { return nil }
        // Created on first use (one level), so a configured directory need not exist beforehand.
        _ = mkdir(directory, 0o755)
        let name = String(path.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" })
        let file = directory + "/" + name + ".linkrec"
        let descriptor = Glibc.open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return nil }
        let recorder = LinkRecorder(descriptor: descriptor)
        recorder.append(Array("# open \(path)\n".utf8))
        return recorder
    }

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit { Glibc.close(descriptor) }

    /// Records bytes that came from the device.
    package func received(_ bytes: [UInt8]) { record("<", bytes) }

    /// Records bytes sent to the device.
    package func sent(_ bytes: [UInt8]) { record(">", bytes) }

    private func record(_ direction: String, _ bytes: [UInt8]) {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let fraction = String(now.tv_nsec / 1000)
        let stamp = "\(now.tv_sec)." + String(repeating: "0", count: max(0, 6 - fraction.count)) + fraction
        let digits: [Character] = Array("0123456789abcdef")
        var line = direction + " " + stamp
        line.reserveCapacity(line.count + bytes.count * 3 + 1)
        for byte in bytes {
            line.append(" ")
            line.append(digits[Int(byte >> 4)])
            line.append(digits[Int(byte & 0x0f)])
        }
        append(Array((line + "\n").utf8))
    }

    private func append(_ bytes: [UInt8]) {
        writing.withLock { _ in
            _ = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        }
    }
}
