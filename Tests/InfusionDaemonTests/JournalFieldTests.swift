@testable import InfusionDaemon
import Logging
import Testing

@Suite struct JournalFieldTests {
    @Test func metadataBecomesUpperCaseFields() {
        let fields = JournalLogHandler.fields(
            level: .warning, message: "device link down", label: "infusiond",
            metadata: ["chair": "3", "device": "/dev/ttyUSB0", "alarm": "systolicHigh", "message": "not a clash"])
        #expect(fields.contains("MESSAGE=device link down"))
        #expect(fields.contains("PRIORITY=4"))
        #expect(fields.contains("CHAIR=3"))
        #expect(fields.contains("DEVICE=/dev/ttyUSB0"))
        #expect(fields.contains("ALARM=systolicHigh"))
        #expect(fields.filter { $0.hasPrefix("MESSAGE=") }.count == 1, "metadata never overrides the message")
    }

    @Test func levelsMapToSyslogSeverities() {
        let expected: [(Logger.Level, Int)] = [
            (.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
        ]
        for (level, priority) in expected { #expect(JournalLogHandler.syslogPriority(level) == priority) }
    }

    @Test func fieldNamesAreSanitised() {
        #expect(JournalLogHandler.fieldName("sl-service") == "SL_SERVICE")
        #expect(JournalLogHandler.fieldName("2fast") == "FAST")
        #expect(JournalLogHandler.fieldName("_x") == "X")
    }
}
