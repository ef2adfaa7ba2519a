import CUmockdev
import Foundation
import Testing

/// The built infusiond inside a umockdev testbed: its pump is a fake FTDI adapter found through
/// libudev, whose node is the pty of a New Era simulator. Unplug, a stranger on the same port, and
/// replug happen as uevents during a running infusion.
///
/// Runs only under `umockdev-wrapper` (scripts/test's udev pass); needs `swift build` first.
extension UmockdevSuites {
@Suite("infusiond under umockdev")
struct DaemonHotplugTests {
    static let pumpAdapter = FakeUSBSerial(serial: "A10K4Q7B", port: 1, node: "ttyUSB0")

    @Test func unplugDuringAnInfusionAlarmsKeepsTheSessionAndOnlyTheSameAdapterIsTakenBack() throws {
        let testbed = try Testbed()
        try #require(umockdev_in_mock_environment() != 0, "run under umockdev-wrapper (scripts/test does)")
        let children = try Children()
        do {
            try runLifecycle(testbed, children)
        } catch {
            Issue.record("\(error)\ninfusiond log:\n\(children.log)")
        }
    }

    private func runLifecycle(_ testbed: Testbed, _ children: Children) throws {
        let pumpSlave = try children.simulator(
            ["pump", "--protocol", "newera", "--pty", children.scratch + "/ttyPUMP"], link: children.scratch + "/ttyPUMP")
        _ = try children.simulator(
            ["monitor", "--protocol", "intellivue", "--pty", children.scratch + "/ttyMON", "--preset", "typical"],
            link: children.scratch + "/ttyMON")
        try testbed.add(FakeUSBSerial.controller)
        try testbed.plug(Self.pumpAdapter, slave: pumpSlave)
        // An adapter no chair names: listed, never opened (its node leads nowhere a driver could use).
        try testbed.plug(FakeUSBSerial(serial: "SPARE01", port: 3, node: "ttyUSB5"), slave: "/dev/null")

        let config = """
            {"chairs":[{"id":"1","pump":{"family":"newera","idPath":"\(Self.pumpAdapter.idPath)"},
             "monitor":{"family":"intellivue","path":"\(children.scratch)/ttyMON"}}]}
            """
        let socket = try children.daemon(config: config, testbedRoot: testbed.root)
        let devices = try watcher(socket, "devices")
        let alarms = try watcher(socket, "alarms")
        let pump = try watcher(socket, "pump")
        let notices = try watcher(socket, "notices")
        let client = try SocketClient(path: socket)
        _ = try client.readJSON()

        // Enumerated at start with its udev identity, and driven (the link may come up before the
        // watchers subscribe, so the listing is polled).
        let entry = try pumpEntry(client) { $0["link"] as? String == "up" }
        #expect(entry["serial"] as? String == "A10K4Q7B")
        #expect(entry["vendor"] as? String == "0403")
        #expect(entry["model"] as? String == "6001")
        #expect(entry["idPath"] as? String == Self.pumpAdapter.idPath)
        #expect(entry["bridge"] as? String == "ftdi_sio")
        #expect(entry["driver"] as? String == "newera")
        #expect(entry["path"] as? String == "/dev/ttyUSB0")
        let listed = try client.request(#"{"cmd":"devices"}"#).result["devices"] as? [[String: Any]] ?? []
        let spare = try #require(listed.first { $0["serial"] as? String == "SPARE01" }, "\(listed)")
        #expect(spare["binding"] as? String == "unbound")
        #expect(spare["chair"] == nil && spare["link"] as? String == "down")
        #expect(spare["idPath"] as? String == "pci-0000:00:14.0-usb-0:3:1.0")
        #expect(children.log.contains("device=/dev/ttyUSB5"), "the daemon saw the spare adapter")
        #expect(!children.log.contains("path=/dev/ttyUSB5"), "but no serial link was opened on it")

        try start(client, monitorControl: children.scratch + "/ttyMON.control")
        _ = try pump.waitForEvent("pump.readback") { $0.detail["state"] as? String == "infusing" }

        // Unplugged: link down, the link-lost alarm, and the session is kept (paused, not ended).
        testbed.unplug(Self.pumpAdapter)
        _ = try devices.waitForEvent("device.removed") { $0["serial"] as? String == "A10K4Q7B" }
        _ = try devices.waitForEvent("device.down") { $0["role"] as? String == "pump" }
        _ = try alarms.waitForEvent("alarm.raised") { $0.detail["condition"] as? String == "pumpLinkLost" }
        #expect(try chairState(client) == "paused", "\(children.log)")

        // Another adapter on the same port is refused, announced, and never opened.
        let stranger = FakeUSBSerial(serial: "FT99ZZZ", port: 1, node: "ttyUSB0")
        try testbed.plug(stranger, slave: "/dev/null")
        let refused = try devices.waitForEvent("device.refused") { $0["serial"] as? String == "FT99ZZZ" }
        #expect((refused["data"] as? [String: Any])?["reason"] as? String != nil)
        _ = try notices.waitForEvent("notice") { ($0["text"] as? String)?.contains("FT99ZZZ") == true }
        let whileRefused = try client.request(#"{"cmd":"devices"}"#).result["devices"] as? [[String: Any]] ?? []
        #expect(whileRefused.contains { $0["binding"] as? String == "refused" && $0["chair"] as? String == "1" })
        #expect(whileRefused.first { $0["binding"] as? String == "waiting" }?["link"] as? String == "down")
        testbed.unplug(stranger)

        // The same adapter back, under another node name: reopened, read back, session continues.
        let replugged = FakeUSBSerial(serial: "A10K4Q7B", port: 1, node: "ttyUSB1")
        try testbed.plug(replugged, slave: pumpSlave)
        let back = try devices.waitForEvent("device.up") { $0["role"] as? String == "pump" }
        #expect((back["data"] as? [String: Any])?["path"] as? String == "/dev/ttyUSB1")
        // Every read-back before the unplug said infusing; this one is from the replugged pump,
        // after the pause the core issued on link loss reached it.
        let readBack = try pump.waitForEvent("pump.readback") { $0.detail["state"] as? String != "infusing" }
        #expect(readBack["data"].map { (($0 as? [String: Any])?["detail"] as? [String: Any])?["infusedMillilitres"] != nil } == true)
        #expect(try chairState(client) == "paused", "never resumed on its own")
        #expect(try client.request(#"{"cmd":"ack","chair":"1"}"#).ok)
        let resumed = try client.request(#"{"cmd":"resume","chair":"1"}"#)
        #expect(resumed.ok, "\(resumed)\n\(children.log)")
        _ = try pump.waitForEvent("pump.readback") { $0.detail["state"] as? String == "infusing" }

        // A replacement pump on another adapter: refused until an admin adopts it, then driven.
        testbed.unplug(replugged)
        _ = try devices.waitForEvent("device.down") { $0["role"] as? String == "pump" }
        let replacementSlave = try children.simulator(
            ["pump", "--protocol", "newera", "--pty", children.scratch + "/ttyPUMP2"], link: children.scratch + "/ttyPUMP2")
        let replacement = FakeUSBSerial(serial: "FT99ZZZ", port: 1, node: "ttyUSB2")
        try testbed.plug(replacement, slave: replacementSlave)
        _ = try devices.waitForEvent("device.refused") { $0["serial"] as? String == "FT99ZZZ" }
        let adopted = try client.request(#"{"cmd":"adopt","chair":"1","role":"pump"}"#)
        #expect(adopted.ok, "\(adopted)")
        #expect(adopted.result["serial"] as? String == "FT99ZZZ")
        _ = try devices.waitForEvent("device.adopted") { $0["serial"] as? String == "FT99ZZZ" }
        let driven = try devices.waitForEvent("device.up") { $0["role"] as? String == "pump" }
        #expect((driven["data"] as? [String: Any])?["serial"] as? String == "FT99ZZZ")
        let again = try client.request(#"{"cmd":"adopt","chair":"1","role":"pump"}"#)
        #expect((again["error"] as? [String: Any])?["code"] as? String == "device-in-use")
    }

    private func watcher(_ socket: String, _ topic: String) throws -> SocketClient {
        let client = try SocketClient(path: socket)
        _ = try client.readJSON()
        guard try client.request(#"{"cmd":"watch","topics":["\#(topic)"]}"#).ok else { throw TestbedFailure("watch") }
        return client
    }

    /// The chair's pump entry of `devices` once it satisfies `ready`; throws after 30 s.
    private func pumpEntry(_ client: SocketClient, _ ready: ([String: Any]) -> Bool) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(30)
        while true {
            let listed = try client.request(#"{"cmd":"devices"}"#).result["devices"] as? [[String: Any]] ?? []
            if let entry = listed.first(where: { $0["role"] as? String == "pump" && $0["chair"] as? String == "1" }), ready(entry) {
                return entry
            }
            guard Date() < deadline else { throw TestbedFailure("pump entry never ready: \(listed)") }
            usleep(100_000)
        }
    }

    private func chairState(_ client: SocketClient) throws -> String? {
        let chairs = try client.request(#"{"cmd":"status"}"#).result["chairs"] as? [[String: Any]]
        return chairs?.first?["state"] as? String
    }

    /// Admits and programmes the standard patient and starts once the monitor gave a baseline.
    private func start(_ client: SocketClient, monitorControl: String) throws {
        let intake = try client.request(
            #"{"cmd":"intake","chair":"1","patientID":"P-17","weight":70,"weightUnit":"kg","weightBasis":"measured","profileID":"ketamine-psychiatric","checklistSigned":true,"checklistSignedBy":"RN Lee"}"#)
        guard intake.ok else { throw TestbedFailure("intake: \(intake)") }
        // The baseline must be this patient's: the monitor's Start NBP key after intake.
        let control = try SocketClient(path: monitorControl)
        try control.sendLine("nibp-start")
        usleep(200_000)
        control.close()
        let program = try client.request(
            #"{"cmd":"program","chair":"1","concentration":10,"syringeVolume":50,"totalDose":0.5,"durationMinutes":40}"#)
        guard program.ok else { throw TestbedFailure("program: \(program)") }
        let deadline = Date().addingTimeInterval(60)
        while true {
            let reply = try client.request(#"{"cmd":"start","chair":"1"}"#)
            if reply.ok { return }
            guard Date() < deadline else { throw TestbedFailure("start: \(reply)") }
            usleep(300_000)
        }
    }
}
}
