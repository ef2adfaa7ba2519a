import Foundation
import Testing

/// `devices.recordDirectory`: infusiond records each serial link's raw traffic in the documented
/// format (docs/SCENARIOS.md), both directions for a pump, the monitor's stream as it arrived.
@Suite("Link recording") struct LinkRecordingTests {
    @Test func everyLinkIsRecordedWithDirectionTimeAndHexBytes() throws {
        let scratch = try ScratchDirectory()
        let recordings = scratch.file("recordings")
        let scenario = scratch.file("record.scenario")
        try """
            chair 1 pump=newera monitor=masimo
            config {"devices":{"recordDirectory":"\(recordings)"}}
            start-daemon
            expect 20 vital chair=1 parameter=spo2
            expect 20 pump.readback chair=1
            stop-daemon
            """.write(toFile: scenario, atomically: true, encoding: .utf8)
        let outcome = try ScenarioTests.run("scenario --quiet '\(scenario)'", timeout: 120)
        #expect(outcome.status == 0, "\(outcome.stdout)")

        let files = try FileManager.default.contentsOfDirectory(atPath: recordings).sorted()
        #expect(files.count == 2 && files.allSatisfy { $0.hasSuffix(".linkrec") }, "\(files)")
        let pump = try String(contentsOfFile: recordings + "/" + (files.first { $0.hasSuffix("chair1-pump.linkrec") } ?? "?"), encoding: .utf8)
        let monitor = try String(contentsOfFile: recordings + "/" + (files.first { $0.hasSuffix("chair1-monitor.linkrec") } ?? "?"), encoding: .utf8)
        let chunk = try Regex(#"^[<>] [0-9]+\.[0-9]{6}( [0-9a-f]{2})+$"#)
        for text in [pump, monitor] {
            let lines = text.split(separator: "\n")
            #expect(lines.first?.hasPrefix("# open ") == true)
            #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("#") || $0.wholeMatch(of: chunk) != nil }, "\(text.prefix(400))")
        }
        // The pump is asked (host → device) and answers (device → host); the monitor only talks.
        #expect(pump.contains("\n> ") && pump.contains("\n< "))
        #expect(monitor.contains("\n< ") && !monitor.contains("\n> "))
        // The NE-1000 safe-mode packets start with STX; the Masimo lines are ASCII ("SN=" = 53 4e 3d).
        #expect(pump.contains("< ") && pump.split(separator: "\n").contains { $0.hasPrefix("> ") && $0.contains(" 02 ") })
        #expect(monitor.contains("53 4e 3d"))
    }
}
