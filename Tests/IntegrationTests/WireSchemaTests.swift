import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The wire schema's validator really rejects what the protocol does not allow, and the hook in the test
/// clients really turns an invalid line into a test failure.
@Suite("Wire schema") struct WireSchemaTests {
    static let valid = [
        #"{"event":"hello","data":{"daemon":"0.1.0","maxLineBytes":65536,"protocol":2,"role":"operator","topics":["devices","notices"],"uid":1001}}"#,
        #"{"event":"gap","data":{"from":3,"to":17,"reason":"not-recorded"}}"#,
        #"{"event":"gap","data":{"from":1,"to":2,"reason":"pruned"}}"#,
        #"{"event":"notice","topic":"notices","seq":912,"data":{"from":0,"text":"Chair 3 pump swap at 14:00"}}"#,
        #"{"reply":"ping","id":1,"ok":true,"result":{"pong":true}}"#,
        #"{"reply":"watch","ok":true,"result":{"topics":["alarms"],"lastSeq":88}}"#,
        #"{"reply":"launch","ok":false,"error":{"code":"unknown-command","message":"unknown command 'launch'"}}"#,
        #"{"reply":"notice","ok":false,"error":{"code":"forbidden","message":"'notice' needs the admin role","requiredRole":"admin"}}"#,
        #"{"event":"alarm.raised","topic":"alarms","seq":7,"data":{"chair":"1","detail":{"category":"physiological","condition":"systolicHigh","isAudible":true,"priority":"high","time":"2026-12-07T01:02:03.456Z","transition":"raised"}}}"#,
        #"{"event":"pump.command-failed","topic":"pump","seq":9,"data":{"chair":"1","detail":{"command":{"command":"set-rate","rateMillilitresPerHour":3.5},"message":"no valid reply","reason":"not-confirmed"}}}"#,
        #"{"event":"limit","topic":"session","seq":10,"data":{"chair":"1","detail":{"kind":"doseRate","libraryVersion":"builtin-1","limit":1,"operatorID":"uid:0","outcome":"hardRefused","profileID":"ketamine-psychiatric","requested":7.5,"side":"above","time":"2026-12-07T01:02:03.456Z"}}}"#,
    ]

    /// Each is one fault the schema must catch, with why.
    static let invalid: [(line: String, fault: String)] = [
        (#"{"event":"hello","seq":1,"data":{"daemon":"0.1.0","maxLineBytes":65536,"protocol":2,"role":"operator","topics":[],"uid":1}}"#, "a connection event with seq"),
        (#"{"event":"hello","data":{"daemon":"0.1.0","maxLineBytes":65536,"protocol":1,"role":"operator","topics":[],"uid":1}}"#, "protocol 1"),
        (#"{"event":"notice","topic":"notices","data":{"from":0,"text":"x"}}"#, "a topic event without seq"),
        (#"{"event":"notice","topic":"alarms","seq":3,"data":{"from":0,"text":"x"}}"#, "the wrong topic"),
        (#"{"event":"weather","topic":"notices","seq":3,"data":{}}"#, "an unknown event"),
        (#"{"reply":"ping","ok":true,"result":{"pong":true},"extra":1}"#, "an unknown envelope key"),
        (#"{"ok":true,"reply":"ping","result":{"pong":true}}"#, "the first key is not reply or event"),
        (#"{"reply":"ping","ok":false,"error":{"code":"refused-hard","message":"x"}}"#, "an unknown error code"),
        (#"{"reply":"ping","ok":true,"result":{"pong":true},"error":{"code":"internal","message":"x"}}"#, "result and error"),
        (#"{"event":"alarm.raised","topic":"alarms","seq":7,"data":{"chair":"1","detail":{"category":"physiological","condition":"systolicHigh","isAudible":true,"priority":"high","time":{"nanoseconds":5},"transition":"raised"}}}"#, "a v1 monotonic time"),
        (#"{"event":"alarm.raised","topic":"alarms","seq":7,"data":{"chair":"1","detail":{"category":"physiological","condition":"systolicHigh","isAudible":true,"priority":"high","time":"2026-12-07T01:02:03Z","transition":"raised"}}}"#, "a time without milliseconds"),
        (#"{"event":"alarm.raised","topic":"alarms","seq":7,"data":{"chair":"1","detail":{"category":"physiological","condition":"systolicHigh","isAudible":true,"priority":"high","time":"2026-13-07T01:02:03.456Z","transition":"raised"}}}"#, "a date that does not exist (format check)"),
        (#"{"event":"pump.command-failed","topic":"pump","seq":9,"data":{"chair":"1","detail":{"command":{"command":"set-rate","rateMillilitresPerHour":3.5},"failure":"notConfirmed(\"no valid reply\")"}}}"#, "a Swift enum description"),
        (#"{"event":"limit","topic":"session","seq":10,"data":{"chair":"1","detail":{"kind":"doseRate","libraryVersion":"builtin-1","limit":1,"operator":"uid:0","outcome":"hardRefused","profileID":"p","requested":7.5,"side":"above","time":"2026-12-07T01:02:03.456Z"}}}"#, "a renamed field"),
        (#"{"event":"gap","data":{"from":3,"to":17,"reason":"lost"}}"#, "an unknown gap reason"),
        (#"{"reply":"status","ok":true"#, "not JSON"),
    ]

    @Test func validatorAcceptsValidLinesAndRejectsEachFault() throws {
        let lines = Self.valid + Self.invalid.map(\.line)
        let problems = try WireSchema.shared.problems(in: lines)
        let rejected = Set(problems.map(\.line))
        for line in Self.valid {
            #expect(!rejected.contains(line), "valid, but rejected: \(line): \(problems.first { $0.line == line }?.message ?? "")")
        }
        for (line, fault) in Self.invalid {
            #expect(rejected.contains(line), "\(fault): accepted \(line)")
        }
        #expect(problems.allSatisfy { !$0.message.isEmpty })
    }

    /// The hook itself: a line client that receives an invalid line records a test issue naming it.
    @Test func lineClientRecordsAnInvalidLineAsAFailure() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.file("fake.sock")
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #expect(listener >= 0)
        defer { Glibc.close(listener) }
        #expect(withUnixAddress(path) { bind(listener, $0, $1) } == 0)
        #expect(listen(listener, 1) == 0)
        let client = try LineClient(path: path)
        let server = accept(listener, nil, nil)
        #expect(server >= 0)
        let bad = #"{"event":"hello","seq":1,"data":{"protocol":1}}"# + "\n"
        _ = bad.utf8CString.withUnsafeBufferPointer { send(server, $0.baseAddress, $0.count - 1, Int32(MSG_NOSIGNAL)) }
        Glibc.close(server)
        #expect(try client.readLine() == #"{"event":"hello","seq":1,"data":{"protocol":1}}"#)
        let reported = Locked<[String]>([])
        WireSchema.$reporter.withValue({ message in reported.mutate { $0.append(message) } }) { client.close() }
        #expect(reported.get().contains { $0.contains("does not match docs/protocol-v2.schema.json") && $0.contains(#""protocol":1"#) },
            "the invalid line must be reported: \(reported.get())")
    }

    /// The same for a shell client's output (socat, ncat, infusionctl --json).
    @Test func shellOutputIsChecked() {
        #expect(Shell.isDaemonLineClient("echo x | socat - UNIX-CONNECT:/tmp/a/infusiond.sock"))
        #expect(Shell.isDaemonLineClient("echo x | ncat -U /tmp/a/infusiond.sock"))
        #expect(!Shell.isDaemonLineClient("echo nibp-start | socat -t 2 - UNIX-CONNECT:/tmp/a/monitor.control"))
        let reported = Locked<[String]>([])
        WireSchema.$reporter.withValue({ message in reported.mutate { $0.append(message) } }) {
            WireSchema.checkOutput("garbage\n{\"reply\":\"ping\",\"ok\":true,\"result\":{\"pong\":false}}\n", from: "a test")
        }
        #expect(reported.get().count == 1 && reported.get().contains { $0.contains(#""pong":false"#) }, "\(reported.get())")
    }
}
