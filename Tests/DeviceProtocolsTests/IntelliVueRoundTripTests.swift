import DeviceProtocols
import PropertyBased
import Testing

private func randomAbsoluteTime(_ random: inout Xoshiro) -> IntelliVueAbsoluteTime? {
    IntelliVueAbsoluteTime(
        year: Int.random(in: 1990...2099, using: &random), month: Int.random(in: 1...12, using: &random),
        day: Int.random(in: 1...28, using: &random), hour: Int.random(in: 0...23, using: &random),
        minute: Int.random(in: 0...59, using: &random), second: Int.random(in: 0...59, using: &random),
        hundredths: Int.random(in: 0...99, using: &random))
}

@Suite("IntelliVue generated round trips")
struct IntelliVueRoundTripTests {
    @Test("1,000 generated poll results, time stamps included, survive framing, escaping and parsing unchanged")
    func generatedPollResults() throws {
        var random = Xoshiro(seed: (0x4956, 0x5254, 9, 10))
        var decoder = IntelliVueFrameDecoder()
        for _ in 0..<1_000 {
            let contexts = (0..<Int.random(in: 0...2, using: &random)).map { context in
                IntelliVueContextPoll(
                    contextIdentifier: UInt16(context),
                    observations: (0..<Int.random(in: 0...4, using: &random)).map { index in
                        let compound = Bool.random(using: &random)
                        let numerics = (0..<(compound ? Int.random(in: 1...3, using: &random) : 1)).map { _ in
                            IntelliVueNumeric(
                                physiologicalIdentifier: UInt16.random(in: 0...0xFFFF, using: &random),
                                state: IntelliVueMeasurementState(rawValue: UInt16.random(in: 0...0xFFFF, using: &random)),
                                unitCode: UInt16.random(in: 0...0xFFFF, using: &random),
                                value: IntelliVueFloat(rawValue: UInt32.random(in: 0...UInt32.max, using: &random)))
                        }
                        return IntelliVueObservation(
                            handle: UInt16(index), numerics: numerics, isCompound: compound,
                            relativeTimeStamp: Bool.random(using: &random) ? UInt32.random(in: 0...UInt32.max, using: &random) : nil,
                            absoluteTimeStamp: Bool.random(using: &random) ? randomAbsoluteTime(&random) : nil)
                    })
            }
            var result = IntelliVuePollResult(
                invokeIdentifier: UInt16.random(in: 0...0xFFFF, using: &random),
                pollNumber: UInt16.random(in: 0...0xFFFF, using: &random), isExtended: Bool.random(using: &random),
                relativeTime: UInt32.random(in: 0...UInt32.max, using: &random), objectClass: 0x0006,
                attributeGroup: 0x0803, contexts: contexts)
            result.absoluteTime = Bool.random(using: &random) ? randomAbsoluteTime(&random) : nil
            if result.isExtended { result.sequenceNumber = UInt16.random(in: 0...0xFFFF, using: &random) }
            if Bool.random(using: &random) {
                result.linkedState = [.first, .middle, .last].randomElement(using: &random)
                result.linkedCount = UInt8.random(in: 0...255, using: &random)
            }
            let message = IntelliVueMessage.pollResult(result)
            let events = decoder.decode(IntelliVueFraming.frame(message.userData))
            guard case .message(let userData)? = events.first, events.count == 1 else {
                Issue.record("frame not decoded: \(events)")
                continue
            }
            #expect(try IntelliVueMessage(userData: userData) == message)
        }
    }
}
