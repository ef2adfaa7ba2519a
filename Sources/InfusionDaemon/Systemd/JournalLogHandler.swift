#if canImport(Glibc)
internal import Glibc
#endif
internal import CSystemd
public import Logging

/// A swift-log handler that writes structured entries to the systemd journal (`sd_journal_sendv`):
/// MESSAGE, PRIORITY mapped from the level, SYSLOG_IDENTIFIER, and every metadata key as a field of
/// its own in upper case, so `journalctl -u infusiond CHAIR=3` or `ALARM=systolicHigh` finds entries.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Whether the process's stderr is connected to the journal (systemd sets JOURNAL_STREAM to the
    /// device and inode of the stream it gave us), the documented way to choose journal logging.
    public static var isStderrJournal: Bool {
        guard let value = getenv("JOURNAL_STREAM").map({ String(cString: $0) }) else { return false }
        let parts = value.split(separator: ":").compactMap { UInt64($0) }
        var status = stat()
        guard parts.count == 2, fstat(2, &status) == 0 else { return false }
        return UInt64(status.st_dev) == parts[0] && UInt64(status.st_ino) == parts[1]
    }

    public func log(event: LogEvent) {
        let fields = Self.fields(
            level: event.level, message: event.message.description, label: label,
            metadata: metadata.merging(event.metadata ?? [:]) { $1 })
        Self.send(fields)
    }

    /// The journal fields for one entry, in the native protocol's `KEY=value` form.
    static func fields(level: Logger.Level, message: String, label: String, metadata: Logger.Metadata) -> [String] {
        var fields = [
            "MESSAGE=\(message)", "PRIORITY=\(syslogPriority(level))", "SYSLOG_IDENTIFIER=infusiond", "LOGGER=\(label)",
        ]
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            let name = fieldName(key)
            guard !name.isEmpty, !reservedFields.contains(name) else { continue }
            fields.append("\(name)=\(value)")
        }
        return fields
    }

    /// RFC 5424 severities, as journald expects in PRIORITY.
    static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// Journal field names are upper-case letters, digits and underscores, not starting with one.
    static func fieldName(_ key: String) -> String {
        let mapped = key.uppercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) ? $0 : "_" }
        return String(String(mapped).drop { $0 == "_" || $0.isNumber })
    }

    private static let reservedFields: Set<String> = ["MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "LOGGER"]

    private static func send(_ fields: [String]) {
        // One buffer holds every field, so each iovec points into memory valid for the whole call.
        var joined: [UInt8] = []
        var ranges: [Range<Int>] = []
        for field in fields {
            let start = joined.count
            joined += field.utf8
            ranges.append(start..<joined.count)
        }
        joined.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            let vectors = ranges.map { iovec(iov_base: base + $0.lowerBound, iov_len: $0.count) }
            _ = sd_journal_sendv(vectors, Int32(vectors.count))
        }
    }
}
