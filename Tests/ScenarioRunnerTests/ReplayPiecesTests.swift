import Testing
@testable import ScenarioRunner

@Suite struct ReplayPiecesTests {
    @Test func recordingOffsetsCountFromTheFirstChunk() throws {
        let recording = try LinkRecording(parsing: """
            # open /dev/ttyUSB0
            > 100.500000 30 52 55 4e 0d
            < 100.750000 02 30 30 49 03
            """)
        #expect(recording.chunks.map(\.direction) == [.toDevice, .fromDevice])
        #expect(recording.chunks.map(\.offset) == [0, 0.25])
        #expect(recording.chunks[1].bytes == [0x02, 0x30, 0x30, 0x49, 0x03])
        #expect(throws: RunnerFailure.self) { try LinkRecording(parsing: "< 1.0 zz") }
        #expect(throws: RunnerFailure.self) { try LinkRecording(parsing: "? 1.0 00") }
    }

    @Test func normaliserDropsTimingGroupsByTopicAndFoldsRepeats() {
        let lines = [
            #"{"event":"vital","topic":"vitals","seq":2,"data":{"chair":"1","detail":{"parameter":"spo2","value":97,"time":{"nanoseconds":5}}}}"#,
            #"{"event":"alarm.raised","topic":"alarms","seq":3,"data":{"chair":"1","detail":{"condition":"spo2Low"}}}"#,
            #"{"event":"vital","topic":"vitals","seq":4,"data":{"chair":"1","detail":{"parameter":"spo2","value":97,"time":{"nanoseconds":9}}}}"#,
            #"{"event":"pump.readback","topic":"pump","seq":5,"data":{"chair":"1","detail":{"state":"infusing"}}}"#,
            #"{"event":"device.up","topic":"devices","seq":6,"data":{"chair":"1","path":"/tmp/run.1/chair1-pump"}}"#,
            #"{"event":"notice","topic":"notices","seq":7,"data":{"from":0,"text":"see /tmp/run.1/log"}}"#,
        ]
        #expect(EventNormaliser.normalise(lines, scratchDirectory: "/tmp/run.1") == [
            "# chair/topic - notices",
            #"{"data":{"from":0,"text":"see $DIR\/log"},"event":"notice","topic":"notices"}"#,
            "# chair/topic 1 alarms",
            #"{"data":{"chair":"1","detail":{"condition":"spo2Low"}},"event":"alarm.raised","topic":"alarms"}"#,
            "# chair/topic 1 vitals",
            #"{"data":{"chair":"1","detail":{"parameter":"spo2","value":97}},"event":"vital","topic":"vitals"}"#,
        ])
    }

    @Test func lineDiffShowsTheFirstDifference() throws {
        #expect(LineDiff.describe(expected: "a\nb\n", actual: "a\nb\n") == nil)
        let report = try #require(LineDiff.describe(expected: "a\nb\nc", actual: "a\nx\nc"))
        #expect(report.hasPrefix("first difference at line 2"))
        #expect(report.contains("  - b\n  + x"))
    }
}
