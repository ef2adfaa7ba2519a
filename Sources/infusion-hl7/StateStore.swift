import Foundation
import Glibc
import HL7Bridge

/// The bridge's files in `--state-dir`: `cursor.json` (the durable cursor and fold, replaced atomically),
/// `set-aside.hl7` (messages the engine would not take, with why) and `gaps.log` (events infusiond could not
/// replay). Every write is fsynced before the bridge goes on.
struct StateStore {
    let directory: String
    var cursorPath: String { directory + "/cursor.json" }
    var setAsidePath: String { directory + "/set-aside.hl7" }
    var gapsPath: String { directory + "/gaps.log" }

    /// The saved state, or nil when there is none yet (a first start). A file that cannot be read is an error:
    /// guessing a cursor could skip or repeat messages.
    func load() throws -> BridgeState? {
        guard FileManager.default.fileExists(atPath: cursorPath) else { return nil }
        return try BridgeState.decode(try Data(contentsOf: URL(fileURLWithPath: cursorPath)))
    }

    /// Writes `state` to a temporary file, fsyncs it, renames it over `cursor.json` and fsyncs the directory:
    /// after a crash the file is either the old state or the new one, whole.
    func save(_ state: BridgeState) throws {
        let temporary = cursorPath + ".tmp"
        try write(Array(try state.encoded()), to: temporary, flags: O_WRONLY | O_CREAT | O_TRUNC)
        guard rename(temporary, cursorPath) == 0 else { throw SocketError("rename \(temporary)") }
        try syncDirectory()
    }

    /// Appends `text` to `path` and fsyncs it.
    func append(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path, flags: O_WRONLY | O_CREAT | O_APPEND)
    }

    private func write(_ bytes: [UInt8], to path: String, flags: Int32) throws {
        let fd = open(path, flags | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw SocketError("open \(path)") }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            guard written > 0 else {
                if errno == EINTR { continue }
                throw SocketError("write \(path)")
            }
            offset += written
        }
        guard fsync(fd) == 0 else { throw SocketError("fsync \(path)") }
    }

    private func syncDirectory() throws {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SocketError("open \(directory)") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw SocketError("fsync \(directory)") }
    }
}
