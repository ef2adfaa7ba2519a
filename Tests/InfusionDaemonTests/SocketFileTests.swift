import Foundation
@testable import InfusionDaemon
import Testing

/// A real Unix socket bound at its private name in a scratch directory, not yet published.
private struct BoundButUnpublished {
    let scratch: AuditScratchDirectory
    let path: String
    let unpublished: String
    let descriptor: Int32

    init() throws {
        scratch = try AuditScratchDirectory()
        path = scratch.path + "/d.sock"
        unpublished = SocketFile.unpublishedPath(for: path)
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let result = SocketFile.withAddress(of: unpublished) { bind(descriptor, $0, $1) }
        guard result == 0 else { throw SocketFile.Conflict(description: "bind \(unpublished): \(errno)") }
    }

    func remove() {
        close(descriptor)
        scratch.remove()
    }
}

@Suite struct SocketFileTests {
    @Test func aPublishedSocketAppearsWithTheModeItWasGivenBeforehand() throws {
        let bound = try BoundButUnpublished()
        defer { bound.remove() }
        let (path, unpublished) = (bound.path, bound.unpublished)
        try SocketFile.applyPermissions(path: unpublished, mode: 0o660, groupID: nil)
        #expect(!FileManager.default.fileExists(atPath: path), "nothing at the public path before publishing")

        try SocketFile.publish(unpublished, at: path)

        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.posixPermissions] as? Int == 0o660)
        #expect(attributes[.type] as? FileAttributeType == .typeSocket)
        #expect(!FileManager.default.fileExists(atPath: unpublished), "the private name is gone")
    }

    @Test func publishingNeverReplacesAFileThatAppearedMeanwhile() throws {
        let bound = try BoundButUnpublished()
        defer { bound.remove() }
        let (path, unpublished) = (bound.path, bound.unpublished)
        try "another daemon's".write(toFile: path, atomically: true, encoding: .utf8)

        #expect(throws: SocketFile.Conflict.self) { try SocketFile.publish(unpublished, at: path) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "another daemon's")
    }
}
