import Foundation
import Testing

/// The core's commands through the real socket, without devices: the control thread answers.
@Suite("Chair commands") struct ChairCommandTests {
    static let config = #"{"socket":{"group":"nogroup"},"chairs":[{"id":"1"},{"id":"2"}]}"#
    static let intake = #"{"cmd":"intake","chair":"1","patientID":"P-17","weight":70,"weightUnit":"kg","weightBasis":"measured","profileID":"ketamine-psychiatric","checklistSigned":true,"checklistSignedBy":"RN Lee"}"#
    static let program = #"{"cmd":"program","chair":"1","concentration":10,"syringeVolume":10,"totalDose":0.5,"durationMinutes":40}"#

    @Test func intakeAndProgramMoveTheSessionAndAreWatched() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch, config: Self.config)
        let watcher = try LineClient(path: daemon.socketPath)
        try watcher.readHello()
        _ = try watcher.request(#"{"cmd":"watch","topics":["session"]}"#)
        let client = try LineClient(path: daemon.socketPath)
        try client.readHello()
        let admitted = try client.request(Self.intake)
        #expect(admitted.ok, "\(admitted)")
        #expect(admitted.result["state"] as? String == "intake")
        let programmed = try client.request(Self.program)
        #expect(programmed.result["state"] as? String == "programmed")
        let first = try watcher.readJSON()
        #expect(first["event"] as? String == "session.state")
        let data = first["data"] as? [String: Any]
        #expect(data?["chair"] as? String == "1")
        #expect((data?["detail"] as? [String: Any])?["to"] as? String == "intake")
        let status = try client.request(#"{"cmd":"status"}"#).result["chairs"] as? [[String: Any]]
        #expect(status?.first?["state"] as? String == "programmed")
        #expect(status?.last?["state"] as? String == "idle")
    }

    @Test func startWithoutAPumpIsRefusedSafely() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch, config: Self.config)
        let client = try LineClient(path: daemon.socketPath)
        try client.readHello()
        _ = try client.request(Self.intake)
        _ = try client.request(Self.program)
        let start = try client.request(#"{"cmd":"start","chair":"1"}"#)
        #expect(start.errorCode == "pump-link-down", "\(start)")
    }

    @Test(arguments: [
        (#"{"cmd":"start"}"#, "bad-request"),
        (#"{"cmd":"start","chair":"9"}"#, "unknown-chair"),
        (#"{"cmd":"intake","chair":"1","weight":"heavy"}"#, "bad-request"),
        (#"{"cmd":"rate","chair":"1","rate":1}"#, "bad-request"),
        (#"{"cmd":"ack","chair":"1","condition":"boredom"}"#, "bad-request"),
        (#"{"cmd":"resume","chair":"2"}"#, "wrong-state"),
        (#"{"cmd":"intake","chair":"1","patientID":"P","weight":70,"weightUnit":"kg","weightBasis":"measured","profileID":"propofol","checklistSigned":true,"checklistSignedBy":"x"}"#, "no-library-entry"),
    ])
    func badChairCommandsGetCodes(line: String, code: String) throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch, config: Self.config)
        let client = try LineClient(path: daemon.socketPath)
        try client.readHello()
        let reply = try client.request(line)
        #expect(reply.errorCode == code, "\(reply)")
        #expect(try client.request(#"{"cmd":"ping"}"#).ok)
    }

    @Test func viewersMayReadTheLibraryButNotControl() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch, config: Self.config)
        let out = try Shell.run(
            "setpriv --reuid=65534 --regid=65534 --clear-groups socat -t 2 - UNIX-CONNECT:\(daemon.socketPath)",
            input: #"{"cmd":"library"}"# + "\n" + Self.intake + "\n")
        #expect(out.lines.count == 3, "\(out.stdout)")
        #expect(out.lines[1].contains(#""reply":"library","ok":true"#) && out.lines[1].contains("ketamine-psychiatric"))
        #expect(out.lines[2].contains(#""code":"forbidden""#) && out.lines[2].contains(#""requiredRole":"operator""#))
    }

    @Test func infusionctlDrivesAChair() throws {
        let scratch = try ScratchDirectory()
        let daemon = try DaemonProcess(scratch: scratch, config: Self.config)
        let ctl = "\(BuiltProducts.path("infusionctl")) --socket \(daemon.socketPath)"
        func ctlCommand(_ subcommand: String) throws -> CommandOutcome {
            try Shell.run(ctl.replacingOccurrences(of: " --socket", with: " \(subcommand) --socket"))
        }
        let intake = try ctlCommand(
            "intake --chair 2 --patient P-9 --weight 82.5 --weight-unit kg --profile ketamine-psychiatric --signed-by 'RN Ortiz'")
        #expect(intake.status == 0, "\(intake.stderr)")
        // The chair's monitor is not plugged in: with a patient in the chair that is an alarm already.
        #expect(intake.stdout.contains("chair 2: intake, 0.00 mL/h, 0.00 mg delivered, monitorLinkLost"), "\(intake.stdout)")
        let program = try ctlCommand("program --chair 2 --concentration 10 --syringe 20 --dose 0.5 --minutes 40")
        #expect(program.stdout.contains("chair 2: programmed"), "\(program.stderr)")
        let start = try ctlCommand("start --chair 2")
        #expect(start.status == 1)
        #expect(start.stderr.contains("pump-link-down"))
    }
}
