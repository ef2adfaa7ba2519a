import DeviceProtocols
import InfusionCore
import Testing

private func frame(_ message: IntelliVueMessage) -> [UInt8] {
    IntelliVueFraming.frame(message.userData)
}

/// A poll result at monitor relative time `replyTicks` with SpO2 measured at the reply and an NIBP
/// compound stamped `nibpTicks`.
private func result(replyTicks: UInt32, nibpTicks: UInt32, systolic: Double = 120) -> IntelliVuePollResult {
    let mmHg = IntelliVueNomenclature.millimetresOfMercury
    return IntelliVuePollResult(
        invokeIdentifier: 1, pollNumber: 1, isExtended: true, relativeTime: replyTicks,
        objectClass: IntelliVueNomenclature.numericClass, attributeGroup: 0,
        contexts: [
            IntelliVueContextPoll(contextIdentifier: 0, observations: [
                IntelliVueObservation(handle: 0x10, numerics: [
                    IntelliVueNumeric(physiologicalIdentifier: IntelliVueNomenclature.spo2, state: [],
                        unitCode: IntelliVueNomenclature.percent, value: IntelliVueFloat(97))
                ], relativeTimeStamp: replyTicks),
                IntelliVueObservation(handle: 0x14, numerics: [
                    IntelliVueNumeric(physiologicalIdentifier: IntelliVueNomenclature.nibpSystolic, state: [], unitCode: mmHg,
                        value: IntelliVueFloat(systolic)),
                    IntelliVueNumeric(physiologicalIdentifier: IntelliVueNomenclature.nibpDiastolic, state: [], unitCode: mmHg,
                        value: IntelliVueFloat(80)),
                ], isCompound: true, relativeTimeStamp: nibpTicks),
            ])
        ])
}

@Suite("IntelliVue measurement time stamps")
struct IntelliVueTimeStampTests {
    @Test("relative and absolute time stamps and the reply's absolute time round-trip through a frame")
    func roundTrip() throws {
        var poll = result(replyTicks: 80_000, nibpTicks: 40_000)
        poll.absoluteTime = IntelliVueAbsoluteTime(year: 2026, month: 11, day: 28, hour: 1, minute: 30, second: 5, hundredths: 25)
        poll.contexts[0].observations[1].absoluteTimeStamp = IntelliVueAbsoluteTime(
            year: 2026, month: 11, day: 28, hour: 1, minute: 29, second: 59)
        let bytes = frame(.pollResult(poll))
        var decoder = IntelliVueFrameDecoder()
        guard case .message(let userData) = try #require(decoder.decode(bytes).first) else {
            Issue.record("no message")
            return
        }
        #expect(try IntelliVueMessage(userData: userData) == .pollResult(poll))
        // NOM_ATTR_TIME_STAMP_REL (0x0991), 4 bytes, 40 000 ticks; the reply's BCD absolute time.
        #expect(userData.indexOf([0x09, 0x91, 0x00, 0x04, 0x00, 0x00, 0x9C, 0x40]) != nil)
        #expect(userData.indexOf([0x09, 0x90, 0x00, 0x08, 0x20, 0x26, 0x11, 0x28, 0x01, 0x29, 0x59, 0x00]) != nil)
        #expect(userData.indexOf([0x20, 0x26, 0x11, 0x28, 0x01, 0x30, 0x05, 0x25]) != nil)
    }

    @Test("a reply without a wall clock (all 0xFF) and stamp-less observations parse to nil stamps")
    func absentStamps() throws {
        var poll = result(replyTicks: 10, nibpTicks: 10)
        poll.contexts[0].observations[1].relativeTimeStamp = nil
        let parsed = try IntelliVueMessage(userData: IntelliVueMessage.pollResult(poll).userData)
        guard case .pollResult(let back) = parsed else {
            Issue.record("not a poll result: \(parsed)")
            return
        }
        #expect(back.absoluteTime == nil)
        #expect(back.contexts[0].observations[1].measurementStamp == nil)
        #expect(back.contexts[0].observations[1].age(in: back) == nil)
    }

    @Test("AbsoluteTime reads BCD, rejects 0xFF and non-BCD bytes, and counts seconds across a leap day")
    func absoluteTime() throws {
        #expect(IntelliVueAbsoluteTime(bytes: [UInt8](repeating: 0xFF, count: 8)) == nil)
        #expect(IntelliVueAbsoluteTime(bytes: [0x20, 0x24, 0x1A, 0x01, 0, 0, 0, 0]) == nil)
        #expect(IntelliVueAbsoluteTime(bytes: [0x20, 0x24, 0x13, 0x01, 0, 0, 0, 0]) == nil, "month 13")
        #expect(IntelliVueAbsoluteTime(bytes: [0x20, 0x24]) == nil)
        let before = try #require(IntelliVueAbsoluteTime(bytes: [0x20, 0x24, 0x02, 0x28, 0x23, 0x59, 0x30, 0x00]))
        let after = try #require(IntelliVueAbsoluteTime(year: 2024, month: 3, day: 1, hour: 0, minute: 0, second: 30))
        #expect(after.seconds(since: before) == 86_400 + 60)
        let nextYear = try #require(IntelliVueAbsoluteTime(year: 2025, month: 3, day: 1, hour: 0, minute: 0, second: 30))
        #expect(nextYear.seconds(since: after) == 365 * 86_400)
        #expect(before.seconds(since: after) == -(86_400 + 60))
    }

    @Test("a numeric's age comes from its own stamp: relative ticks (also across the 32-bit wrap), else absolute")
    func age() throws {
        let poll = result(replyTicks: 80_000, nibpTicks: 40_000)
        #expect(poll.contexts[0].observations[1].age(in: poll) == .seconds(5))
        #expect(poll.contexts[0].observations[0].age(in: poll) == .zero)

        let wrapped = result(replyTicks: 100, nibpTicks: UInt32.max - 99)
        #expect(wrapped.contexts[0].observations[1].age(in: wrapped) == .milliseconds(25))

        var absolute = result(replyTicks: 0, nibpTicks: 0)
        absolute.contexts[0].observations[1].relativeTimeStamp = nil
        absolute.contexts[0].observations[1].absoluteTimeStamp = IntelliVueAbsoluteTime(
            year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0)
        absolute.absoluteTime = IntelliVueAbsoluteTime(year: 2026, month: 1, day: 1, hour: 0, minute: 2, second: 5)
        #expect(absolute.contexts[0].observations[1].age(in: absolute) == .seconds(125))
        // A stamp after the reply's clock (the clock was set back) has no trustworthy age.
        absolute.absoluteTime = IntelliVueAbsoluteTime(year: 2025, month: 12, day: 31, hour: 23, minute: 59, second: 0)
        #expect(absolute.contexts[0].observations[1].age(in: absolute) == nil)
    }

    @Test("an absolute stamp centuries before the reply reads as the relative clock's span (found by fuzzing)")
    func absurdAbsoluteAgeIsCapped() throws {
        // Fuzz/regressions/intellivue_messages/spo2-absolute-stamp-2100-years-old: the reply's clock says
        // 4126, the SpO2 stamp 2026. Dated 2100 years back, the reading overflowed the core's clock
        // arithmetic (VitalsMemory.age trapped the control thread).
        var poll = result(replyTicks: 0, nibpTicks: 0)
        poll.contexts[0].observations[0].relativeTimeStamp = nil
        poll.contexts[0].observations[0].absoluteTimeStamp = IntelliVueAbsoluteTime(
            year: 2026, month: 11, day: 28, hour: 1, minute: 29, second: 59)
        poll.absoluteTime = IntelliVueAbsoluteTime(year: 4126, month: 11, day: 28, hour: 1, minute: 30, second: 5)
        #expect(poll.contexts[0].observations[0].age(in: poll) == IntelliVueObservation.maximumAge)
        #expect(IntelliVueObservation.maximumAge == .nanoseconds(Int64(UInt32.max) * 125_000))

        var session = IntelliVueHostSession()
        _ = session.start(at: .seconds(0))
        _ = session.receive(frame(.associationResponse(nil)), at: .seconds(0.1))
        _ = session.receive(frame(.mdsCreateEvent(invokeIdentifier: 1, eventTime: 0)), at: .seconds(0.2))
        let received = MonotonicInstant.seconds(100)
        let output = session.receive(frame(.pollResult(poll)), at: received)
        let spo2 = try #require(output.reports.first?.vital(.spo2))
        #expect(received - spo2.time == IntelliVueObservation.maximumAge, "dated days old, within the clock's range")
    }

    @Test("the host session reports one cuff measurement once, dated when measured, and a new one again")
    func sessionReportsEachMeasurementOnce() throws {
        var session = IntelliVueHostSession()
        _ = session.start(at: .seconds(0))
        _ = session.receive(frame(.associationResponse(nil)), at: .seconds(0.1))
        _ = session.receive(frame(.mdsCreateEvent(invokeIdentifier: 1, eventTime: 0)), at: .seconds(0.2))

        var systolic: [VitalSign] = []
        var spo2Count = 0
        // The monitor took the cuff reading at 5 s of its clock; polls at 10 s ... 14 s repeat it.
        for second in 10...14 {
            let ticks = UInt32(second * 8_000)
            let received = MonotonicInstant.seconds(Double(100 + second))
            let output = session.receive(frame(.pollResult(result(replyTicks: ticks, nibpTicks: 40_000))), at: received)
            let report = try #require(output.reports.first, "SpO2 is new every second")
            spo2Count += report.vitals.filter { $0.parameter == .spo2 }.count
            systolic += report.vitals.filter { $0.parameter == .nibpSystolic }
            #expect(report.time == received)
        }
        #expect(spo2Count == 5)
        #expect(systolic.count == 1)
        // Received at 110 s when the monitor's clock said 10 s; measured 5 s earlier.
        #expect(systolic.first?.time == .seconds(105))
        #expect(systolic.first?.trustworthyValue == 120)

        let next = session.receive(
            frame(.pollResult(result(replyTicks: 15 * 8_000, nibpTicks: 15 * 8_000, systolic: 131))), at: .seconds(115))
        let fresh = try #require(next.reports.first?.vital(.nibpSystolic))
        #expect(fresh.trustworthyValue == 131)
        #expect(fresh.time == .seconds(115))
    }

    @Test("a new association forgets what was seen: the monitor's clock may have restarted")
    func newAssociationForgets() throws {
        var session = IntelliVueHostSession()
        for attempt in 0..<2 {
            let base = Double(attempt * 100)
            _ = session.start(at: .seconds(base))
            _ = session.receive(frame(.associationResponse(nil)), at: .seconds(base + 0.1))
            _ = session.receive(frame(.mdsCreateEvent(invokeIdentifier: 1, eventTime: 0)), at: .seconds(base + 0.2))
            let output = session.receive(frame(.pollResult(result(replyTicks: 8_000, nibpTicks: 8_000))), at: .seconds(base + 1))
            #expect(output.reports.first?.vital(.nibpSystolic) != nil, "attempt \(attempt)")
        }
    }
}

extension Array where Element == UInt8 {
    /// Where `pattern` starts in the array, if it occurs.
    fileprivate func indexOf(_ pattern: [UInt8]) -> Int? {
        guard pattern.count <= count else { return nil }
        return (0...(count - pattern.count)).first { Array(self[$0..<$0 + pattern.count]) == pattern }
    }
}
