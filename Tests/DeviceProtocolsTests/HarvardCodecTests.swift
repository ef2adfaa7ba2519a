import DeviceProtocols
import Testing

/// The Harvard Pump 11 Elite codec against docs/DEVICE-BASIS.md §3 and its own round trips.
@Suite struct HarvardCodecTests {
    private func decodeAll(_ text: String) -> [HarvardReply] {
        var decoder = HarvardReplyDecoder()
        return decoder.decode(Array(text.utf8))
    }

    /// The reference's worked example: `irate 5 ml/h` → `\r\n00:`, `run` → `\r\n00>`,
    /// `ivolume` → `\r\n0.1234 ml\r\n00>`.
    @Test func referenceExample() throws {
        let setRate = HarvardRequest(address: nil, command: .setInfusionRate(5, .millilitresPerHour))
        #expect(setRate.encoded == Array("irate 5 ml/h\r".utf8))
        #expect(HarvardRequest(address: 0, command: .run).encoded == Array("run\r".utf8))
        #expect(HarvardRequest(address: nil, command: .queryInfusedVolume).encoded == Array("ivolume\r".utf8))

        #expect(decodeAll("\r\n00:") == [HarvardReply(address: 0, prompt: .idle)])
        #expect(decodeAll("\r\n00>") == [HarvardReply(address: 0, prompt: .infusing)])
        let volumeReply = HarvardReply(address: 0, lines: ["0.1234 ml"], prompt: .infusing)
        #expect(decodeAll("\r\n0.1234 ml\r\n00>") == [volumeReply])
        #expect(volumeReply.encoded == Array("\r\n0.1234 ml\r\n00>".utf8))
        let volume = try #require(HarvardReplyValues.volume("0.1234 ml"))
        #expect(volume.value == 0.1234 && volume.units == .millilitres)
    }

    @Test func addressingAndAbbreviations() throws {
        let chained = HarvardRequest(address: 12, command: .setInfusionRate(3.2, .microlitresPerMinute))
        #expect(chained.encoded == Array("12:irate 3.2 ul/min\r".utf8))
        #expect(HarvardRequest(line: "12:irate 3.2 ul/min") == chained)
        #expect(HarvardRequest(line: "irat 3.2 UL/MIN").command == .setInfusionRate(3.2, .microlitresPerMinute))
        #expect(HarvardRequest(line: "diam 26.59 mm").command == .setDiameter(26.59))
        #expect(HarvardRequest(line: "stat").command == .queryStatus)
        #expect(HarvardRequest(line: "st").command == nil, "too short to be an abbreviation")
        #expect(HarvardRequest(line: "irate 5 furlongs").command == nil)
        #expect(HarvardRequest(line: "").command == .prompt)
        #expect(HarvardRequest(line: "3:run").isAddressed(to: 3))
        #expect(!HarvardRequest(line: "run").isAddressed(to: 3))
    }

    @Test func everyCommandRoundTrips() {
        let commands: [HarvardCommand] = [
            .prompt, .run, .stop, .setInfusionRate(5.25, .millilitresPerHour), .queryInfusionRate,
            .setTargetVolume(10, .millilitres), .setTargetVolume(250, .microlitres), .queryTargetVolume,
            .queryInfusedVolume, .queryWithdrawnVolume, .clearVolumes, .clearTargetVolume, .setDiameter(26.59),
            .queryDiameter, .queryVersion, .queryStatus,
        ]
        for command in commands {
            for address: UInt8? in [nil, 5, 99] {
                let request = HarvardRequest(address: address, command: command)
                var decoder = HarvardCommandDecoder()
                let decoded = decoder.decode(request.encoded ?? [])
                #expect(decoded.count == 1)
                #expect(decoded.first?.command == command)
                #expect(decoded.first?.isAddressed(to: address ?? 0) == true)
            }
        }
        #expect(HarvardRequest(address: nil, command: .setInfusionRate(.infinity, .millilitresPerHour)).encoded == nil)
    }

    /// All prompts, with and without address; CR LF after a command is one terminator.
    @Test func promptsAndTerminators() {
        for prompt in HarvardPrompt.allCases {
            #expect(decodeAll("\r\n07" + prompt.rawValue) == [HarvardReply(address: 7, prompt: prompt)])
            #expect(decodeAll("\r\n" + prompt.rawValue) == [HarvardReply(address: nil, prompt: prompt)])
        }
        // The Elite driver's `00:*`: a stall notice right after an idle prompt.
        #expect(decodeAll("\r\n00:*") == [HarvardReply(address: 0, prompt: .idle), HarvardReply(address: nil, prompt: .stalled)])
        var commands = HarvardCommandDecoder()
        #expect(commands.decode(Array("run\r\nstop\n\r".utf8)).map(\.command) == [.run, .stop, .prompt])
        #expect(decodeAll("\r\nOOR\r\n00:").first?.error == .outOfRange)
        #expect(decodeAll("\r\n?\r\n00:").first?.error == .unknownCommand)
    }

    @Test func statusAndObservation() throws {
        let status = try #require(HarvardReplyValues.status("1458333333 600 875000000000 I...IT"))
        #expect(status.isRunning && !status.isStalled)
        #expect(abs(status.rateMillilitresPerHour - 5.25) < 1e-6)
        #expect(status.volumeMillilitres == 0.875)
        #expect(HarvardReplyValues.status("1 2 3 I") == nil)
        #expect(HarvardReplyValues.rate("5.2500 ml/hr")?.units == .millilitresPerHour)
        #expect(HarvardReplyValues.diameter("26.5900 mm") == 26.59)

        let observation = HarvardReply.observation(
            status: HarvardReply(address: 0, prompt: .infusing),
            rate: HarvardReply(address: 0, lines: ["5.25 ml/h"], prompt: .infusing),
            infused: HarvardReply(address: 0, lines: ["875.0 ul"], prompt: .infusing),
            at: .zero
        )
        #expect(observation.state == .infusing)
        #expect(observation.rateMillilitresPerHour == 5.25)
        #expect(observation.infusedMillilitres == 0.875)
        #expect(HarvardPrompt.stalled.runState == .alarmed && HarvardPrompt.stalled.alarms == [.occlusion])
        #expect(HarvardPrompt.targetReached.alarms == [.targetReached])
    }
}
