import Testing
import WireProtocol

/// The request parser is exact where JSON and the protocol are (issue 21 item 2): each leniency the
/// drills found is refused, with the field named where there is one.
@Suite struct StrictRequestTests {
    private func refusal(_ text: String) -> Request.ParseFailure? {
        guard case .failure(let failure) = Request.parse(line: Array(text.utf8)) else { return nil }
        return failure
    }

    private func parsed(_ text: String) throws -> Request {
        try Request.parse(line: Array(text.utf8)).get()
    }

    @Test(arguments: [
        (#"{"cmd":"ping",}"#, "trailing comma"),
        ("\u{FEFF}" + #"{"cmd":"ping"}"#, "byte-order mark"),
        (#"{"cmd":"ping","x":[1,2,]}"#, "trailing comma"),
        (#"{"cmd":"ping","x":1e-400}"#, "too small"),
        (#"{"cmd":"ping","x":-1e400}"#, "too large"),
        (#"{"cmd":"ping","x":01}"#, "leading zero"),
        (#"{"cmd":"ping","x":"\ud800"}"#, "unpaired surrogate"),
        (#"{"cmd":"ping","x":"a"# + "\t" + #"b"}"#, "control character"),
        (#"{"cmd":"ping"} {"cmd":"ping"}"#, "after the JSON value"),
        (#"{'cmd':'ping'}"#, "member name"),
        (#"{"cmd":"ping","x":NaN}"#, "unexpected character"),
    ])
    func refusesWhatJSONRefuses(text: String, reason: String) throws {
        let failure = try #require(refusal(text), "accepted \(text)")
        #expect(failure.error.code == "bad-json")
        #expect(failure.error.message.contains(reason), "\(failure.error.message)")
    }

    @Test func refusesInvalidUTF8() throws {
        let line = Array(#"{"cmd":"ping","x":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        guard case .failure(let failure) = Request.parse(line: line) else {
            Issue.record("accepted invalid UTF-8")
            return
        }
        #expect(failure.error.code == "bad-json")
        #expect(failure.error.message.contains("UTF-8"))
    }

    @Test func refusesADuplicateKeyAndNamesIt() throws {
        let failure = try #require(refusal(#"{"cmd":"stop","chair":"1","chair":"2"}"#))
        #expect(failure.error.code == "bad-request")
        #expect(failure.error.message.contains("'chair'"))
        #expect(refusal(#"{"cmd":"stop","cmd":"ping"}"#)?.error.code == "bad-request")
    }

    @Test func refusesIdsThatAreNeitherStringsNorNumbers() throws {
        for text in [#"{"cmd":"ping","id":true}"#, #"{"cmd":"ping","id":false}"#, #"{"cmd":"ping","id":null}"#,
                     #"{"cmd":"ping","id":{"a":1}}"#] {
            let failure = try #require(refusal(text), "accepted \(text)")
            #expect(failure.error.code == "bad-request")
            #expect(failure.error.message.contains("'id'"), "\(failure.error.message)")
        }
    }

    /// Issue 21: `12345678901234567890123` came back as `1.2345678901234568e+22`. A number's id is echoed with
    /// the digits the client wrote, whatever a Double would make of them.
    @Test(arguments: [
        "12345678901234567890123", "9223372036854775807", "-12", "0.1", "1.50", "1e2", "-0",
        "0.12345678901234567890", "6.02214076e23",
    ])
    func echoesANumericIdExactly(text: String) throws {
        let request = try parsed(#"{"cmd":"ping","id":\#(text)}"#)
        #expect(request.id == .number(text))
        let reply = String(decoding: MessageFraming.success("ping", id: request.id, result: EmptyResult()), as: UTF8.self)
        #expect(reply.hasPrefix(#"{"reply":"ping","id":\#(text),"ok":true"#), "\(reply)")
        let failure = MessageFraming.failure("ping", id: request.id, error: .badRequest("x"))
        #expect(String(decoding: failure, as: UTF8.self).contains(#""id":\#(text),"#))
    }

    @Test func echoesAStringIdExactly() throws {
        let request = try parsed(#"{"cmd":"ping","id":"caf\u00e9 \"7\""}"#)
        #expect(request.id == .string("café \"7\""))
        let reply = String(decoding: MessageFraming.success("ping", id: request.id, result: EmptyResult()), as: UTF8.self)
        #expect(reply.contains(#""id":"café \"7\"","#), "\(reply)")
    }

    @Test func aRefusalEchoesTheIdItCouldRead() throws {
        let failure = try #require(refusal(#"{"cmd":"stop","id":12345678901234567890123,"reason":null}"#))
        #expect(failure.id == .number("12345678901234567890123"))
    }

    @Test func refusesNullFieldsAndNamesThem() throws {
        let reason = try #require(refusal(#"{"cmd":"stop","chair":"1","reason":null}"#))
        #expect(reason.error.code == "bad-request")
        #expect(reason.error.message.contains("'reason'"))
        #expect(reason.command == "stop")
        let nested = try #require(refusal(#"{"cmd":"recovery","chair":"1","aldrete":{"activity":null}}"#))
        #expect(nested.error.message.contains("'aldrete.activity'"))
        let element = try #require(refusal(#"{"cmd":"watch","topics":["alarms",null]}"#))
        #expect(element.error.message.contains("'topics[1]'"))
    }

    @Test func refusesDeepNesting() throws {
        let deep = #"{"cmd":"ping","x":"# + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "}"
        let failure = try #require(refusal(deep))
        #expect(failure.error.code == "bad-request")
        #expect(failure.error.message.contains("nested deeper"))
        let shallow = #"{"cmd":"ping","x":"# + String(repeating: "[", count: 30) + String(repeating: "]", count: 30) + "}"
        #expect(try parsed(shallow).command == "ping")
    }

    @Test func acceptsWhatJSONAllows() throws {
        let request = try parsed(" \t{ \"cmd\" : \"notice\" , \"text\" : \"caf\\u00e9 \\ud83d\\ude00 \\\"ok\\\" \\/\" }\r\n")
        #expect(try request.string("text") == "café 😀 \"ok\" /")
        #expect(try parsed(#"{"cmd":"rate","rate":7.5e0,"unit":"mg/kg/h","confirm":false}"#).number("rate") == 7.5)
        #expect(try parsed(#"{"cmd":"x","n":-0}"#).fields["n"] == .integer(0))
        #expect(try parsed(#"{"cmd":"x","n":1.0}"#).fields["n"] == .integer(1))
        #expect(try parsed(#"{"cmd":"x","n":12345678901234567890123}"#).fields["n"] == .number(1.2345678901234568e22))
        #expect(try parsed(#"{"cmd":"x","s":"é"}"#).fields["s"] == .string("é"))
    }

    private struct Score: Decodable {
        struct Inner: Decodable { var level: UInt8 }
        var activity: Int
        var inner: Inner?
    }

    @Test func typedFieldsNameTheFieldAndConvertOnlyExactly() throws {
        do {
            _ = try LineCoding.convert(.object(["activity": .number(2.5)]), to: Score.self)
            Issue.record("2.5 became an integer")
        } catch let DecodingError.typeMismatch(_, context) {
            #expect(context.codingPath.map(\.stringValue) == ["activity"])
            #expect(context.debugDescription.contains("2.5"))
        }
        do {
            _ = try LineCoding.convert(.object(["activity": .integer(1), "inner": .object(["level": .integer(300)])]), to: Score.self)
            Issue.record("300 became a UInt8")
        } catch let DecodingError.typeMismatch(_, context) {
            #expect(context.codingPath.map(\.stringValue) == ["inner", "level"])
        }
        do {
            _ = try LineCoding.convert(.object([:]), to: Score.self)
            Issue.record("a missing field was accepted")
        } catch let DecodingError.keyNotFound(key, _) {
            #expect(key.stringValue == "activity")
        }
        let score = try LineCoding.convert(.object(["activity": .number(2.0)]), to: Score.self)
        #expect(score.activity == 2 && score.inner == nil)
    }
}
