import Foundation
@testable import InfusionDaemon
import Testing
import WireProtocol

@Suite struct ConfigurationTests {
    private func decode(_ json: String) throws -> DaemonConfiguration {
        try JSONDecoder().decode(DaemonConfiguration.self, from: Data(json.utf8))
    }

    @Test func emptyFileGivesEveryDefault() throws {
        #expect(try decode("{}") == DaemonConfiguration())
        let defaults = DaemonConfiguration()
        #expect(defaults.socket.path == "/run/infusiond/infusiond.sock")
        #expect(defaults.socket.permissionBits == 0o660)
        #expect(defaults.access.defaultRole == .viewer)
    }

    @Test func aSubsetOverridesOnlyItself() throws {
        let config = try decode(#"{"socket":{"mode":"0600"},"access":{"operator":{"groups":["nurses"]}}}"#)
        #expect(config.socket.permissionBits == 0o600)
        #expect(config.socket.maxLineBytes == 65536)
        #expect(config.access.operator.groups == ["nurses"])
        #expect(config.logging.level == "info")
    }

    @Test func theMonitorLinkLossTimeIsThreeSecondsUnlessConfigured() throws {
        #expect(DaemonConfiguration().devices.monitorLinkLostAfter == .seconds(3))
        #expect(try decode(#"{"devices":{"monitorLinkLostSeconds":1.5}}"#).devices.monitorLinkLostAfter == .milliseconds(1500))
    }

    @Test func theIdlePeriodIsAQuarterSecondAndNeverShorterThanTheTick() throws {
        #expect(DaemonConfiguration().control.idleTickMilliseconds == 500)
        #expect(try decode(#"{"control":{"tickMilliseconds":500}}"#).control.idleTickMilliseconds == 500)
        #expect(try decode(#"{"control":{"idleTickMilliseconds":100}}"#).control.idleTickMilliseconds == 100)
    }

    @Test func journalLinesWaitASecondForCompanyUnlessConfigured() throws {
        #expect(DaemonConfiguration().audit.journalDelayMilliseconds == 1_000)
        #expect(try decode(#"{"audit":{"journalDelayMilliseconds":200}}"#).audit.journalDelayMilliseconds == 200)
    }

    @Test func theJournalKeepsAMillionEventsUnlessConfigured() throws {
        #expect(DaemonConfiguration().audit.journalRetainedEvents == 1_000_000)
        #expect(try decode(#"{"audit":{"journalRetainedEvents":50000}}"#).audit.journalRetainedEvents == 50_000)
    }

    @Test(arguments: [
        #"{"socket":{"mode":"rw-rw----"}}"#, #"{"socket":{"maxLineBytes":10}}"#, #"{"access":{"defaultRole":"god"}}"#,
        #"{"devices":{"monitorLinkLostSeconds":0}}"#, #"{"control":{"tickMilliseconds":20,"idleTickMilliseconds":10}}"#,
        #"{"control":{"idleTickMilliseconds":5000}}"#, #"{"audit":{"journalDelayMilliseconds":-1}}"#,
        #"{"audit":{"journalDelayMilliseconds":5001}}"#, #"{"audit":{"journalRetainedEvents":9999}}"#,
    ])
    func invalidValuesAreRefused(json: String) {
        #expect(throws: DecodingError.self) { try decode(json) }
    }

    @Test func theExampleFileIsValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let config = try DaemonConfiguration.load(path: root.appendingPathComponent("config/infusiond.example.json").path)
        #expect(config.access.operator.groups == ["infusion-nurses"])
    }

    @Test func loadNamesTheFileAndTheKey() {
        do {
            _ = try DaemonConfiguration.load(path: "/nonexistent/infusiond.json")
            Issue.record("loaded a missing file")
        } catch {
            #expect("\(error)".contains("/nonexistent/infusiond.json"))
        }
    }

    @Test func rootAndTheDaemonUserAreAdmin() {
        let resolver = RoleResolver(access: AccessSettings(), daemonUID: 4321)
        #expect(resolver.role(for: PeerCredentials(pid: 1, uid: 0, gid: 0)) == .admin)
        #expect(resolver.role(for: PeerCredentials(pid: 1, uid: 4321, gid: 100)) == .admin)
        #expect(resolver.role(for: PeerCredentials(pid: 1, uid: 65534, gid: 65534)) == .viewer)
    }

    @Test func uidsAndGidsMapToRoles() {
        var access = AccessSettings()
        access.operator = Principals(uids: [65534])
        access.admin = Principals(gids: [4242])
        let resolver = RoleResolver(access: access, daemonUID: 1)
        #expect(resolver.role(for: PeerCredentials(pid: 1, uid: 65534, gid: 65534)) == .operator)
        #expect(resolver.role(for: PeerCredentials(pid: 1, uid: 5000, gid: 4242)) == .admin)
    }
}
