import InfusionCore
import InfusionDaemon
import Testing
import WireProtocol

/// A chair command's typed fields name the field in every error (issue 21 item 2): a fraction in an
/// integer field used to say "field '': The given data was not valid JSON".
@Suite struct ChairCommandTranslatorTests {
    private func request(_ line: String) throws -> Request {
        try Request.parse(line: Array(line.utf8)).get()
    }

    @Test func aFractionInAnIntegerFieldNamesTheField() throws {
        let line = #"{"cmd":"recovery","chair":"1","aldrete":{"activity":2.5,"respiration":2,"circulation":2,"consciousness":2,"oxygenSaturation":2}}"#
        let recovery = try request(line)
        do {
            _ = try ChairCommandTranslator.action(for: .recovery, recovery)
            Issue.record("2.5 was taken as an Aldrete item")
        } catch {
            #expect(error.code == "bad-request")
            #expect(error.message.contains("'aldrete.activity'") && error.message.contains("2.5"), "\(error.message)")
        }
    }

    /// Found by scripts/drills: an array where the Aldrete object belongs said "field ''".
    @Test func aWholeFieldOfTheWrongTypeIsNamed() throws {
        let recovery = try request(#"{"cmd":"recovery","chair":"1","aldrete":[]}"#)
        do {
            _ = try ChairCommandTranslator.action(for: .recovery, recovery)
            Issue.record("an array was taken as an Aldrete score")
        } catch {
            #expect(error.code == "bad-request")
            #expect(error.message.contains("'aldrete'"), "\(error.message)")
        }
    }

    @Test func aMissingOrMistypedProgramFieldIsNamed() throws {
        let mistyped = try request(#"{"cmd":"program","chair":"1","concentration":"2"}"#)
        let incomplete = try request(#"{"cmd":"program","chair":"1","concentration":2}"#)
        do {
            _ = try ChairCommandTranslator.action(for: .program, mistyped)
            Issue.record("a string concentration was accepted")
        } catch {
            #expect(error.message.contains("'concentration'"), "\(error.message)")
        }
        do {
            _ = try ChairCommandTranslator.action(for: .program, incomplete)
            Issue.record("a program without syringeVolume was accepted")
        } catch {
            #expect(error.message.contains("'syringeVolume'"), "\(error.message)")
        }
    }

    @Test func wellFormedCommandsStillTranslate() throws {
        let recovery = try ChairCommandTranslator.action(
            for: .recovery,
            try request(#"{"cmd":"recovery","chair":"1","aldrete":{"activity":2,"respiration":2,"circulation":1.0,"consciousness":2,"oxygenSaturation":2}}"#))
        #expect(recovery == .recovery(aldrete: AldreteScore(activity: 2, respiration: 2, circulation: 1, consciousness: 2, oxygenSaturation: 2)))
        let program = try ChairCommandTranslator.action(
            for: .program, try request(#"{"cmd":"program","chair":"1","concentration":10,"syringeVolume":10,"totalDose":0.5,"durationMinutes":40}"#))
        guard case .program(let programRequest) = program else {
            Issue.record("not a program: \(program)")
            return
        }
        #expect(programRequest.totalDose?.value == 0.5 && programRequest.durationMinutes == 40)
    }
}
