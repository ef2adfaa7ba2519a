import DeviceProtocols
import InfusionCore
import PropertyBased
import Testing

@Suite("Nonin Data Format 8")
struct NoninFormat8Tests {
    @Test("the reference examples encode and decode: HR 72 SpO2 97, and no sensor")
    func referenceExamples() {
        let normal = NoninFormat8Record(status: [], heartRate: 72, spo2: 97)
        #expect(normal.bytes == [0x80, 0x48, 0x61, 0x00])
        let noSensor = NoninFormat8Record(status: [.sensorDisconnected, .outOfTrack], heartRate: nil, spo2: nil)
        #expect(noSensor.bytes == [0xE3, 0x7F, 0x7F, 0x00])
        #expect(NoninFormat8Record(bytes: [0xE3, 0x7F, 0x7F, 0x00]) == noSensor)
        let report = noSensor.report(at: .zero)
        #expect(report.conditions == [.sensorOff, .searching])
        #expect(report.vitals.allSatisfy { $0.value == nil && $0.flags.contains(.sensorOff) })
    }

    @Test("status bits map to conditions", arguments: [
        (NoninFormat8Status.lowPerfusion, NoninFormat8Status2(), MonitorConditions.lowPerfusion),
        (NoninFormat8Status.marginalPerfusion, NoninFormat8Status2(), MonitorConditions.lowSignalQuality),
        (NoninFormat8Status.artefact, NoninFormat8Status2(), MonitorConditions.artefact),
        (NoninFormat8Status(), NoninFormat8Status2.sensorAlarm, MonitorConditions.sensorFault),
        (NoninFormat8Status(), NoninFormat8Status2.criticalBattery, MonitorConditions.lowBattery),
    ])
    func statusMapping(status: NoninFormat8Status, status2: NoninFormat8Status2, condition: MonitorConditions) {
        let record = NoninFormat8Record(status: status, heartRate: 260, spo2: 91, status2: status2)
        var monitor = NoninMonitor(format: .format8)
        // A record is reported once the next one, a second later, shows it came alone.
        #expect(monitor.receive(record.bytes, at: .seconds(1)).isEmpty)
        let reports = monitor.receive(record.bytes, at: .seconds(2))
        #expect(reports.count == 1 && reports.first?.time == .seconds(1))
        #expect(reports.first?.conditions == condition)
        #expect(reports.first?.vital(.pulseRate)?.value == 260)
    }

    @Test("garbage before records is skipped")
    func resynchronises() {
        let record = NoninFormat8Record(status: [], heartRate: 72, spo2: 97)
        var decoder = NoninFormat8Decoder()
        let records = decoder.decode([0x12, 0xFF, 0x80, 0x81] + record.bytes + record.bytes)
        #expect(records == [record, record])
        #expect(decoder.discardedByteCount == 4)
    }

    @Test("records found in line noise are not believed; clean records a second apart are, after one")
    func noiseIsNotReadAsRecords() {
        // The drill device-garbage found this: random bytes at 50 kB/s gave thousands of Data Format 8
        // "records" a second, random SpO2 and pulse rates passed on as vitals (docs/RELIABILITY.md).
        var random = Xoshiro(seed: (0x4446, 0x38, 5, 6))
        var monitor = NoninMonitor(format: .format8)
        let record = NoninFormat8Record(status: [], heartRate: 72, spo2: 97)
        #expect(monitor.receive(record.bytes, at: .zero).isEmpty)
        #expect(monitor.receive(record.bytes, at: .seconds(1)).count == 1)
        var believed = 0
        for step in 1...1000 {  // 10 s of noise in 10 ms reads, the real record once a second among it
            let noise = (0..<500).map { _ in UInt8.random(in: 0...255, using: &random) }
            let bytes = step.isMultiple(of: 100) ? noise + record.bytes : noise
            believed += monitor.receive(bytes, at: .seconds(1) + .milliseconds(10 * step)).count
        }
        #expect(believed == 0)
        #expect(monitor.rejectedRecordCount > 1000)
        // The noise stops (the last record, at 11 s, had noise before it): the record at 12 s is alone on
        // both sides, and reported, dated 12 s, when the one at 13 s arrives.
        #expect(monitor.receive(record.bytes, at: .seconds(12)).isEmpty)
        let reports = monitor.receive(record.bytes, at: .seconds(13))
        #expect(reports.count == 1 && reports.first?.vital(.spo2)?.value == 97 && reports.first?.time == .seconds(12))
        // Noise that starts right after a quiet second with a sync pattern (SpO2 32) does not pass as a
        // record: the real one follows it at once. It only vouches for the record before it.
        let atNoise = monitor.receive([0x80, 0x10, 0x20, 0x00, 0x33] + record.bytes, at: .seconds(14))
        #expect(atNoise.count == 1 && atNoise.first?.time == .seconds(13))
        #expect(monitor.receive(record.bytes, at: .seconds(15)).isEmpty)
        let after = monitor.receive(record.bytes, at: .seconds(16))
        #expect(after.count == 1 && after.first?.time == .seconds(15) && after.first?.vital(.spo2)?.value == 97)
    }

    @Test("100,000 random and truncated inputs never crash the decoder")
    func fuzz() async {
        var random = Xoshiro(seed: (0x4446, 0x38, 3, 4))
        let valid = NoninFormat8Record(status: [.artefact], heartRate: 150, spo2: 93).bytes
        var decoder = NoninFormat8Decoder()
        var fed = 0
        for iteration in 0..<100_000 {
            // Give the shared test thread pool back now and then: the drivers and simulators on ptys
            // in other suites run on it in real time.
            if iteration.isMultiple(of: 500) { await Task.yield() }
            var input = (0..<Int.random(in: 0...12, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            input += valid.prefix(Int.random(in: 0...4, using: &random))
            fed += input.count
            for record in decoder.decode(input) {
                #expect(record.heartRate.map { (0..<511).contains($0) } ?? true)
                #expect(record.spo2.map { (0..<127).contains($0) } ?? true)
            }
        }
        #expect(decoder.discardedByteCount <= fed)
    }
}
