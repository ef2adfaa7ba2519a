import DeviceProtocols
import InfusionCore
import Testing

/// Verbatim device lines from docs/DEVICE-BASIS.md section 4.
private enum MasimoSamples {
    static let radical7 =
        "12/01/05 11:56:29 SN=0123456789 SPO2=098% BPM=240 PI=20.00% SPCO=01.0% SPMET=00.5% DESAT=01 PIDELTA=-02 PVI=027 ALARM=0000 EXC=000820"
    static let rad8 =
        "02/22/16 22:47:45 SN=0000056661 SPO2=098% BPM=097 PI=03.60% SPCO=--.-% SPMET=--.-% DESAT=-- PIDELTA=+-- ALARM=0000 EXC=000800"
    static let rad8NoSensor =
        "03/19/16 13:37:12 SN=0000093112 SPO2=---% BPM=---% DESAT=-- PIDELTA=+-- ALARM=0000 EXC=000001"
    static let rad5 = "09/15/10 15:10:29 SPO2=097% BPM=064 PI=11.82% ALARM=20 EXC=800"
}

private func parse(_ line: String) throws -> MasimoRecord {
    try MasimoLineParser.parse(Array(line.utf8)).get()
}

@Suite("Masimo ASCII 1 lines")
struct MasimoLineTests {
    @Test("the Radical-7 sample parses field by field")
    func radical7Sample() throws {
        let record = try parse(MasimoSamples.radical7)
        #expect(record.timestamp == MasimoTimestamp(month: 12, day: 1, year: 5, hour: 11, minute: 56, second: 29))
        #expect(record.serialNumber == "0123456789")
        #expect(record.spo2 == 98)
        #expect(record.pulseRate == 240)
        #expect(record.perfusionIndex == 20)
        #expect(record.spco == 1)
        #expect(record.spmet == 0.5)
        #expect(record.desaturationIndex == 1)
        #expect(record.perfusionIndexDelta == -2)
        #expect(record.plethVariabilityIndex == 27)
        #expect(record.alarms.isEmpty)
        #expect(record.exceptions == [.setMode, .sensorOffPatient])
    }

    @Test("the Rad-8 sample reads dashes as missing values")
    func rad8Sample() throws {
        let record = try parse(MasimoSamples.rad8)
        #expect(record.spo2 == 98)
        #expect(record.pulseRate == 97)
        #expect(record.perfusionIndex == 3.6)
        #expect(record.spco == nil)
        #expect(record.spmet == nil)
        #expect(record.desaturationIndex == nil)
        #expect(record.perfusionIndexDelta == nil)
        #expect(record.exceptions == .setMode)
    }

    @Test("the Rad-8 no-sensor sample yields invalid, sensor-off readings without values")
    func rad8NoSensorSample() throws {
        let record = try parse(MasimoSamples.rad8NoSensor)
        #expect(record.spo2 == nil)
        #expect(record.pulseRate == nil)
        #expect(record.exceptions == .noSensor)
        let report = record.report(at: .seconds(3))
        #expect(report.conditions.contains(.sensorOff))
        let spo2 = try #require(report.vital(.spo2))
        #expect(spo2.value == nil)
        #expect(spo2.flags.isSuperset(of: [.invalid, .sensorOff]))
        #expect(spo2.trustworthyValue == nil)
        #expect(spo2.time == .seconds(3))
    }

    @Test("the Rad-5 sample uses short hex fields; ALARM 20 is 'alarm silenced'")
    func rad5Sample() throws {
        let record = try parse(MasimoSamples.rad5)
        #expect(record.spo2 == 97)
        #expect(record.pulseRate == 64)
        #expect(record.perfusionIndex == 11.82)
        #expect(record.alarms == .alarmSilenced)
        #expect(record.exceptions == .setMode)
        let report = record.report(at: .zero)
        #expect(report.conditions == .deviceAlarmSilenced)
        #expect(report.vital(.spo2)?.trustworthyValue == 97)
        #expect(report.vital(.pulseRate)?.trustworthyValue == 64)
        #expect(report.vital(.perfusionIndex)?.value == 11.82)
    }

    @Test("sensor off with digits still present invalidates SpO2 (EXC 0x20)")
    func sensorOffInvalidatesDigits() throws {
        let report = try parse(MasimoSamples.radical7).report(at: .zero)
        let spo2 = try #require(report.vital(.spo2))
        #expect(spo2.value == 98)
        #expect(spo2.flags.contains(.invalid))
        #expect(spo2.flags.contains(.sensorOff))
        #expect(spo2.trustworthyValue == nil)
    }

    @Test(
        "exception bits map to conditions and flags",
        arguments: [
            (0x000804 as UInt32, MonitorConditions.lowPerfusion, VitalSignFlags.lowPerfusion, true),
            (0x000808, .searching, .searching, false),
            (0x000810, .artefact, .artefact, false),
            (0x000C00, .lowSignalQuality, .lowSignalQuality, true),
            (0x001800, .sensorOff, .sensorOff, false),
            (0x000802, .sensorFault, .invalid, false),
        ])
    func exceptionMapping(raw: UInt32, condition: MonitorConditions, flag: VitalSignFlags, trustworthy: Bool) throws {
        let line = "01/01/20 00:00:00 SPO2=095% BPM=070 PI=01.00% ALARM=0000 EXC=" + String(raw, radix: 16)
        let report = try parse(line).report(at: .zero)
        #expect(report.conditions.contains(condition))
        let spo2 = try #require(report.vital(.spo2))
        #expect(spo2.flags.contains(flag))
        #expect((spo2.trustworthyValue != nil) == trustworthy)
    }

    @Test("keys are found wherever they are, unknown keys are ignored")
    func parsesByKey() throws {
        let record = try parse("EXC=000800 SPHB=14.1 BPM=080 SPO2=099% ALARM=0010")
        #expect(record.spo2 == 99)
        #expect(record.pulseRate == 80)
        #expect(record.alarms == .alarmActive)
        #expect(record.timestamp == nil)
    }

    @Test(
        "damaged lines are rejected whole",
        arguments: [
            "01/01/20 00:00:00 SPO2=0x8% BPM=070 EXC=000800",
            "01/01/20 00:00:00 SPO2=098% BPM=070 EXC=00G800",
            "01/01/20 00:00:00 junk SPO2=098% BPM=070",
            "01/01/20 00:00:00 SN=0000056661 ALARM=0000 EXC=000800",
            "01/01/20 00:00:00 SPO2=098% BPM=0\u{7}70",
            "SPO2=1234567890% BPM=070",
        ])
    func rejectsDamagedLines(line: String) {
        #expect(throws: MasimoParseError.self) { try parse(line) }
    }

    @Test("every layout's encoded line parses back to the same record", arguments: MasimoLineLayout.allCases)
    func encoderRoundTrip(layout: MasimoLineLayout) throws {
        var record = MasimoRecord(spo2: 96, pulseRate: 71, perfusionIndex: 2.35, exceptions: [.setMode, .lowPerfusion])
        record.alarms = [.alarmActive, .spo2Low]
        if layout != .rad5 {
            record.serialNumber = "0000012345"
            record.spco = 1.5
            record.desaturationIndex = 3
            record.perfusionIndexDelta = -4
        }
        if layout == .radical7 { record.plethVariabilityIndex = 14 }
        let timestamp = MasimoTimestamp(month: 11, day: 27, year: 26, hour: 9, minute: 5, second: 7)
        let bytes = MasimoLineEncoder(layout: layout).encode(record, timestamp: timestamp)
        #expect(bytes.suffix(2) == [0x0D, 0x0A])
        var decoder = MasimoLineDecoder()
        let events = decoder.decode(bytes)
        record.timestamp = timestamp
        #expect(events == [.record(record)])
    }

    @Test("the encoder writes the device's widths and dashes")
    func encoderWidths() {
        let record = MasimoRecord(spo2: nil, pulseRate: nil, exceptions: .noSensor)
        let timestamp = MasimoTimestamp(month: 3, day: 19, year: 16, hour: 13, minute: 37, second: 12)
        let line = String(decoding: MasimoLineEncoder(layout: .rad8).encode(record, timestamp: timestamp), as: UTF8.self)
        #expect(
            line
                == "03/19/16 13:37:12 SN=---------- SPO2=---% BPM=--- PI=--.--% SPCO=--.-% SPMET=--.-% DESAT=-- PIDELTA=+-- ALARM=0000 EXC=000001\r\n"
        )
    }
}
