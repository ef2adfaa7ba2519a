import ClinicalExports
import Testing

@Suite struct HL7ExportTests {
    let exporter = HL7Exporter()

    @Test func observationMessagesFollowThePCD01Skeleton() throws {
        let messages = exporter.observationMessages(for: ExportFixtures.session)
        // Vitals at 5 s, 60 s and 1260 s, pump read-backs at 1 s and 2400 s.
        #expect(messages.count == 5)
        for message in messages {
            #expect(!message.contains("\n"))
            #expect(message.hasSuffix("\r"))
            let parsed = ParsedHL7(message)
            #expect(Array(parsed.names.prefix(4)) == ["MSH", "PID", "PV1", "OBR"])
            #expect(parsed.names.dropFirst(4).allSatisfy { $0 == "OBX" })
            let header = parsed.segments[0]
            #expect(ParsedHL7.field(header, 2) == "^~\\&")
            #expect(ParsedHL7.field(header, 9) == "ORU^R01^ORU_R01")
            #expect(ParsedHL7.field(header, 12) == "2.6")
            #expect(ParsedHL7.field(header, 21) == "IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO")
            #expect(ParsedHL7.field(parsed.segments[1], 3) == "MRN\\S\\1\\F\\2\\R\\3\\E\\4\\T\\5^^^CLINIC^MR")
            #expect(ParsedHL7.field(parsed.segments[2], 3) == "INFUSION^chair-3")
            let addresses = parsed.observations.map {
                ParsedHL7.field($0, 4).split(separator: ".").map { Int($0) ?? -1 }
            }
            #expect(
                addresses == addresses.sorted { $0.lexicographicallyPrecedes($1) }, "OBX rows out of dictionary order")
            #expect(
                parsed.observations.map { ParsedHL7.field($0, 1) } == (1...parsed.observations.count).map(String.init))
            #expect(parsed.observations.allSatisfy { !ParsedHL7.field($0, 18).isEmpty })
        }
    }

    @Test func vitalsCarryTheContainmentTreeCodesAndUnits() throws {
        let message = exporter.observationMessages(for: ExportFixtures.session)[1]
        let rows = ParsedHL7(message).observations.map {
            (ParsedHL7.field($0, 3), ParsedHL7.field($0, 4), ParsedHL7.field($0, 5), ParsedHL7.field($0, 6))
        }
        #expect(
            rows.map(\.1) == ["1.0.0.0", "1.2.0.0", "1.2.1.1", "1.2.1.2", "1.2.1.3", "1.3.0.0", "1.3.1.0", "1.3.1.1"])
        #expect(rows[0].0 == "69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC")
        #expect(rows[2].0 == "150456^MDC_PULS_OXIM_SAT_O2^MDC")
        #expect(rows[2].2 == "97")
        #expect(rows[2].3 == "262688^MDC_DIM_PERCENT^MDC^%^%^UCUM")
        #expect(rows[7].0 == "147842^MDC_ECG_HEART_RATE^MDC")
        // Respiratory rate has no VMD in the reference, so PCD-01 leaves it out.
        #expect(!message.contains("151562"))
        let mds = ParsedHL7(message).observations[0]
        #expect(ParsedHL7.field(mds, 11) == "X")
        #expect(ParsedHL7.field(mds, 18) == "0123456789ABCDEF^EUI-64")
    }

    @Test func cuffPressuresSitUnderTheNIBPChannel() {
        let message = exporter.observationMessages(for: ExportFixtures.session)[2]
        let rows = ParsedHL7(message).observations
        #expect(
            rows.map { ParsedHL7.field($0, 4) } == ["1.0.0.0", "1.1.0.0", "1.1.1.0", "1.1.1.1", "1.1.1.2", "1.1.1.3"])
        #expect(ParsedHL7.field(rows[2], 3) == "70687^MDC_DEV_PRESS_BLD_NONINV_CHAN^MDC")
        #expect(ParsedHL7.field(rows[3], 6) == "266016^MDC_DIM_MMHG^MDC^mm[Hg]^mm[Hg]^UCUM")
        #expect(ParsedHL7.field(rows[5], 5) == "97")
    }

    @Test func aReadingWithoutValueIsMarkedNotAvailable() {
        let message = exporter.observationMessages(for: ExportFixtures.session)[3]
        let metric = ParsedHL7(message).observations.first { ParsedHL7.field($0, 4) == "1.2.1.1" }
        #expect(metric.map { ParsedHL7.field($0, 5) } == "")
        #expect(metric.map { ParsedHL7.field($0, 8) } == "NAV")
    }

    @Test func pumpReadBackReportsRateDoseRateAndVolumes() {
        let message = exporter.observationMessages(for: ExportFixtures.session)[4]
        let rows = ParsedHL7(message).observations
        let byCode = Dictionary(
            rows.map { (ParsedHL7.field($0, 3).split(separator: "^").first.map(String.init) ?? "", $0) },
            uniquingKeysWith: { a, _ in a })
        #expect(byCode["69985"].map { ParsedHL7.field($0, 18) } == "A1\\F\\B\\S\\2^New Era NE-1000")
        #expect(byCode["184519"].map { ParsedHL7.field($0, 5) } == "^pump-status-not-infusing")
        #expect(byCode["157784"].map { ParsedHL7.field($0, 5) } == "28")
        // 28 mL/h × 2 mg/mL ÷ 70 kg = 0.8 mg/kg/h.
        #expect(byCode["157924"].map { ParsedHL7.field($0, 5) } == "0.8")
        #expect(
            byCode["157924"].map { ParsedHL7.field($0, 6) }
                == "265650^MDC_DIM_MILLI_G_PER_KG_PER_HR^MDC^mg/kg/h^mg/kg/h^UCUM")
        #expect(byCode["157760"].map { ParsedHL7.field($0, 5) } == "2")
        #expect(byCode["157884"].map { ParsedHL7.field($0, 5) } == "14")
        #expect(byCode["157993"].map { ParsedHL7.field($0, 5) } == "12.5")
    }

    @Test func alarmTransitionsBecomePCD04FacetGroups() {
        let messages = exporter.alarmMessages(for: ExportFixtures.session)
        #expect(messages.count == 4)
        let raised = ParsedHL7(messages[0])
        #expect(ParsedHL7.field(raised.segments[0], 9) == "ORU^R40^ORU_R40")
        #expect(ParsedHL7.field(raised.segments[0], 21) == "IHE_PCD_ACM_001^IHE PCD^1.3.6.1.4.1.19376.1.6.4.4.1^ISO")
        #expect(ParsedHL7.field(raised.segments[3], 4) == "196616^MDC_EVT_ALARM^MDC")
        #expect(ParsedHL7.field(raised.segments[3], 2) == "spo2Low-1^INFUSIOND^0123456789ABCDEF^EUI-64")
        let facets = raised.observations
        #expect(facets.map { ParsedHL7.field($0, 4) } == (1...7).map { "1.2.1.150456.\($0)" })
        #expect(
            facets.map { ParsedHL7.field($0, 3).split(separator: "^").first.map(String.init) ?? "" } == [
                "196670", "150456", "68481", "68482", "68483", "68484", "68485",
            ])
        #expect(facets.map { ParsedHL7.field($0, 5) }.suffix(6) == ["88", "start", "active", "enabled", "PH", "SP"])

        let acknowledged = ParsedHL7(messages[1]).observations.map { ParsedHL7.field($0, 5) }
        #expect(acknowledged.suffix(5) == ["acknowledged", "active", "acknowledged", "PH", "SP"])
        #expect(ParsedHL7.field(ParsedHL7(messages[2]).segments[3], 2).hasPrefix("spo2Low-1^"))
        let cleared = ParsedHL7(messages[2]).observations.map { ParsedHL7.field($0, 5) }
        #expect(cleared.suffix(5) == ["end", "inactive", "enabled", "PH", "SP"])

        let occlusion = ParsedHL7(messages[3]).observations
        #expect(ParsedHL7.field(occlusion[0], 3) == "196616^MDC_EVT_ALARM^MDC")
        #expect(ParsedHL7.field(occlusion[0], 5) == "196940^MDC_EVT_FLUID_LINE_OCCL^MDC")
        #expect(ParsedHL7.field(occlusion[1], 3) == "68480^MDC_ATTR_ALERT_SOURCE^MDC")
        #expect(ParsedHL7.field(occlusion[1], 5) == "69985^MDC_DEV_PUMP_INFUS_MDS^MDC")
        #expect(ParsedHL7.field(occlusion[6], 5) == "ST")
    }

    @Test func messageIDsAreUniqueAndStable() {
        let records = ExportFixtures.session
        let all = exporter.observationMessages(for: records) + exporter.alarmMessages(for: records)
        let ids = all.map { ParsedHL7.field(ParsedHL7($0).segments[0], 10) }
        #expect(Set(ids).count == ids.count)
        #expect(exporter.observationMessages(for: records) + exporter.alarmMessages(for: records) == all)
    }
}
