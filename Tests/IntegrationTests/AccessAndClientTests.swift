import Foundation
import Testing

/// Roles from peer credentials, and infusionctl's behaviour and exit codes.
@Suite("Roles and infusionctl") struct AccessAndClientTests {
    /// Connects as uid/gid 65534 (nobody) through setpriv and socat: a real second user.
    private func asNobody(_ lines: [String], socket: String) throws -> [String] {
        let input = lines.joined(separator: "\n") + "\n"
        let out = try Shell.run(
            "setpriv --reuid=65534 --regid=65534 --clear-groups socat -t 2 - UNIX-CONNECT:\(socket)", input: input)
        #expect(out.status == 0, "\(out.stderr)")
        return out.lines
    }

    @Test func otherUserIsViewerAndIsToldWhichRoleACommandNeeds() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch, config: #"{"socket":{"group":"nogroup"}}"#)
        let lines = try asNobody([#"{"cmd":"status"}"#, #"{"cmd":"notice","text":"hi"}"#], socket: daemon.socketPath)
        #expect(lines.count == 3, "\(lines)")
        #expect(lines[0].contains(#""role":"viewer""#) && lines[0].contains(#""uid":65534"#))
        #expect(lines[1].contains(#""reply":"status","ok":true"#))
        #expect(lines[2].contains(#""code":"forbidden""#) && lines[2].contains(#""requiredRole":"admin""#))
    }

    @Test func configurationMapsAUidToOperatorAndAGroupToAdmin() throws {
        let scratch = try ScratchDirectory()
        let asOperator = try DaemonProcess(
            scratch: scratch, config: #"{"socket":{"group":"nogroup"},"access":{"operator":{"uids":[65534]}}}"#)
        #expect(try asNobody([#"{"cmd":"ping"}"#], socket: asOperator.socketPath)[0].contains(#""role":"operator""#))
        try asOperator.stop()
        let asAdmin = try DaemonProcess(
            scratch: scratch, config: #"{"socket":{"group":"nogroup"},"access":{"admin":{"groups":["nogroup"]}}}"#)
        let lines = try asNobody([#"{"cmd":"notice","text":"ok"}"#], socket: asAdmin.socketPath)
        #expect(lines[0].contains(#""role":"admin""#))
        #expect(lines[1].contains(#""reply":"notice","ok":true"#))
    }

    /// The HL7 bridge's role: it may stage an order and read, never program, start or change an infusion
    /// (docs/INTEGRATION.md "Inbound orders").
    @Test func anOrdererMayStageOrdersAndNothingThatChangesAnInfusion() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(
            scratch: scratch, config: #"{"socket":{"group":"nogroup"},"access":{"orderer":{"users":["nobody"]}}}"#)
        let order = #"{"cmd":"order","chair":"9","orderID":"O-1","patientID":"P-17","weight":70,"weightUnit":"kg","drugName":"ketamine","concentration":10,"rate":0.75,"unit":"mg/kg/h"}"#
        let lines = try asNobody(
            [order, #"{"cmd":"program","chair":"9","order":"O-1"}"#, #"{"cmd":"start","chair":"9"}"#,
             #"{"cmd":"rate","chair":"9","rate":1,"unit":"mg/kg/h"}"#, #"{"cmd":"status"}"#],
            socket: daemon.socketPath)
        #expect(lines.count == 6, "\(lines)")
        #expect(lines[0].contains(#""role":"orderer""#))
        // Past the role check: the order is refused only because chair 9 does not exist.
        #expect(lines[1].contains(#""code":"unknown-chair""#), "\(lines[1])")
        for line in lines[2...4] {
            #expect(line.contains(#""code":"forbidden""#) && line.contains(#""requiredRole":"operator""#), "\(line)")
        }
        #expect(lines[5].contains(#""reply":"status","ok":true"#))
    }

    @Test func socketPermissionsKeepOutsidersOut() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch)
        let out = try Shell.run(
            "setpriv --reuid=65534 --regid=65534 --clear-groups \(BuiltProducts.path("infusionctl")) status --socket \(daemon.socketPath)")
        #expect(out.status == 77, "socket is 0660 root:root; nobody is refused: \(out.stderr)")
        #expect(out.stderr.contains("Permission denied"))
    }

    @Test func infusionctlStatusDevicesAndJSON() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch)
        let ctl = "\(BuiltProducts.path("infusionctl")) --socket \(daemon.socketPath)"
        let status = try Shell.run("\(ctl.replacingOccurrences(of: " --socket", with: " status --socket"))")
        #expect(status.status == 0)
        #expect(status.stdout.contains("infusiond 0.1.0 (protocol 2)"), "\(status.stdout)")
        let devices = try Shell.run("\(BuiltProducts.path("infusionctl")) devices --socket \(daemon.socketPath)")
        #expect(devices.stdout == "no devices\n")
        let raw = try Shell.run("\(BuiltProducts.path("infusionctl")) devices --json --socket \(daemon.socketPath)")
        #expect(raw.stdout == #"{"reply":"devices","ok":true,"result":{"devices":[]}}"# + "\n")
    }

    @Test func infusionctlExitCodesAreDistinct() throws {
        let scratch = try ScratchDirectory()
        let ctl = BuiltProducts.path("infusionctl")
        let unreachable = try Shell.run("\(ctl) status --socket \(scratch.file("nobody-home.sock"))")
        #expect(unreachable.status == 69)
        let daemon = try DaemonProcess(scratch: scratch, config: #"{"socket":{"group":"nogroup"}}"#)
        let error = try Shell.run(#"\#(ctl) send '{"cmd":"watch","topics":["weather"]}' --socket \#(daemon.socketPath)"#)
        #expect(error.status == 1)
        #expect(error.stdout.contains("unknown-topic"))
        let refused = try Shell.run(
            "setpriv --reuid=65534 --regid=65534 --clear-groups \(ctl) notice hello --socket \(daemon.socketPath)")
        #expect(refused.status == 77, "\(refused.stderr)")
        #expect(refused.stderr.contains("needs the admin role"))
    }

    @Test func infusionctlWatchPrintsEvents() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch)
        let output = scratch.file("watch.txt")
        let watcher = Process()
        watcher.executableURL = URL(fileURLWithPath: BuiltProducts.path("infusionctl"))
        watcher.arguments = ["watch", "notices", "--socket", daemon.socketPath]
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        watcher.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        try watcher.run()
        try waitForWatchers(daemon, count: 1)
        _ = try Shell.run("\(BuiltProducts.path("infusionctl")) notice 'chair 3 needs a nurse' --socket \(daemon.socketPath)")
        let lines = try waitForLines(in: output, count: 1)
        #expect(lines[0].range(of: #"^#[0-9]+ notices notice "#, options: .regularExpression) != nil, "the event's seq first: \(lines)")
        #expect(lines[0].contains("chair 3 needs a nurse"))
        #expect(try daemon.stop() == 0)
        watcher.waitUntilExit()
        #expect(watcher.terminationStatus == 0, "watch ends cleanly when the daemon stops")
    }
}
