import Testing
import WireProtocol

@Suite struct RequestParsingTests {
    private func parse(_ text: String) -> Result<Request, Request.ParseFailure> {
        Request.parse(line: Array(text.utf8))
    }

    @Test func parsesCommandIdAndFields() throws {
        let request = try parse(#"{"cmd":"watch","id":"a","topics":["alarms","vitals"]}"#).get()
        #expect(request.command == "watch")
        #expect(request.id == .string("a"))
        #expect(try request.topics() == [.alarms, .vitals])
        #expect(request.fields["cmd"] == nil && request.fields["id"] == nil)
    }

    @Test func numericIdsKeepTheirText() throws {
        #expect(try parse(#"{"cmd":"ping","id":12}"#).get().id == .number("12"))
        #expect(try parse(#"{"cmd":"ping","id":1.5}"#).get().id == .number("1.5"))
    }

    @Test(arguments: [
        ("nonsense", "bad-json"), ("", "bad-json"), ("42", "bad-request"), (#"{"id":3}"#, "bad-request"),
        (#"{"cmd":true}"#, "bad-request"), (#"{"cmd":"x","id":[1]}"#, "bad-request"),
    ])
    func rejectsWhatIsNotARequest(text: String, code: String) {
        guard case .failure(let failure) = parse(text) else {
            Issue.record("\(text) parsed")
            return
        }
        #expect(failure.error.code == code)
        #expect(!failure.error.message.isEmpty)
    }

    @Test func failureKeepsTheIdWhenItCouldBeRead() {
        guard case .failure(let failure) = parse(#"{"id":"x7","cmd":3}"#) else {
            Issue.record("parsed")
            return
        }
        #expect(failure.id == .string("x7"))
    }

    @Test func typedAccessorsNameTheFieldOnMismatch() throws {
        let request = try parse(#"{"cmd":"notice","text":5,"topics":[1],"flag":"yes","n":"2"}"#).get()
        #expect(throws: WireError.self) { try request.string("text") }
        #expect(throws: WireError.self) { try request.strings("topics") }
        #expect(throws: WireError.self) { try request.bool("flag") }
        #expect(throws: WireError.self) { try request.number("n") }
        do {
            _ = try request.string("text")
        } catch {
            #expect(error.message.contains("'text'"))
        }
        #expect(try request.string("absent") == nil)
    }

    @Test func unknownTopicIsItsOwnError() throws {
        let request = try parse(#"{"cmd":"watch","topics":"weather"}"#).get()
        do {
            _ = try request.topics()
            Issue.record("accepted an unknown topic")
        } catch {
            #expect(error.code == "unknown-topic")
        }
    }

    @Test func requestEncodesBackToAnEquivalentLine() throws {
        let original = Request(command: "watch", id: 4, fields: ["topics": .array([.string("pump")])])
        let line = try LineCoding.encodeLine(original)
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(try parse(String(decoding: line.dropLast(), as: UTF8.self)).get() == original)
    }
}
