import Foundation
@testable import InfusionDaemon
import Testing

@Suite struct SocketFileTests {
    /// A real listening-capable Unix socket bound at `path`; the caller closes the descriptor.
    private func bindSocket(at path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(path.utf8))
            raw[path.utf8.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else { throw SocketFile.Conflict(description: "bind \(path): \(errno)") }
        return fd
    }

    @Test func aPublishedSocketAppearsWithTheModeItWasGivenBeforehand() throws {
        let scratch = try AuditScratchDirectory()
        defer { scratch.remove() }
        let path = scratch.path + "/d.sock"
        let unpublished = SocketFile.unpublishedPath(for: path)
        let fd = try bindSocket(at: unpublished)
        defer { close(fd) }
        try SocketFile.applyPermissions(path: unpublished, mode: 0o660, groupID: nil)
        #expect(!FileManager.default.fileExists(atPath: path), "nothing at the public path before publishing")

        try SocketFile.publish(unpublished, at: path)

        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.posixPermissions] as? Int == 0o660)
        #expect(attributes[.type] as? FileAttributeType == .typeSocket)
        #expect(!FileManager.default.fileExists(atPath: unpublished), "the private name is gone")
    }

    @Test func publishingNeverReplacesAFileThatAppearedMeanwhile() throws {
        let scratch = try AuditScratchDirectory()
        defer { scratch.remove() }
        let path = scratch.path + "/d.sock"
        let unpublished = SocketFile.unpublishedPath(for: path)
        let fd = try bindSocket(at: unpublished)
        defer { close(fd) }
        try "another daemon's".write(toFile: path, atomically: true, encoding: .utf8)

        #expect(throws: SocketFile.Conflict.self) { try SocketFile.publish(unpublished, at: path) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "another daemon's")
    }
}
