import Testing
import WireProtocol

@Suite struct MessageFramingTests {
    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func replyStartsWithReplyAndEchoesId() {
        let line = text(MessageFraming.success("ping", id: .string("q"), result: Pong()))
        #expect(line == #"{"reply":"ping","id":"q","ok":true,"result":{"pong":true}}"# + "\n")
    }

    @Test func failureCarriesCodeMessageAndRole() {
        let error = WireError.forbidden(command: "notice", required: .admin, actual: .viewer)
        let line = text(MessageFraming.failure("notice", id: nil, error: error))
        #expect(line.hasPrefix(#"{"reply":"notice","ok":false,"error":{"code":"forbidden","#))
        #expect(line.contains(#""requiredRole":"admin""#))
    }

    @Test func eventCarriesTopicAndSequence() {
        let data = LineCoding.encodedData(Notice(text: "a \"quoted\"\nline", from: 7))
        let line = text(MessageFraming.event("notice", topic: .notices, sequence: 9, data: data))
        #expect(line == #"{"event":"notice","topic":"notices","seq":9,"data":{"from":7,"text":"a \"quoted\"\nline"}}"# + "\n")
        #expect(line.filter { $0 == "\n" }.count == 1, "escaped newlines never split a line")
    }

    @Test func clientParsesBothKinds() throws {
        let reply = try IncomingMessage.parse(line: MessageFraming.success("status", id: 2, result: Pong()).dropLast())
        guard case .reply("status", .integer(2)?, true, _, nil) = reply else {
            Issue.record("\(reply)")
            return
        }
        let event = try IncomingMessage.parse(
            line: MessageFraming.event("notice", topic: .notices, sequence: 1, data: Array("{}".utf8)).dropLast())
        guard case .event("notice", .notices?, 1?, _) = event else {
            Issue.record("\(event)")
            return
        }
        let hello = try IncomingMessage.parse(line: MessageFraming.connectionEvent("hello", data: Array("{}".utf8)).dropLast())
        guard case .event("hello", nil, nil, _) = hello else {
            Issue.record("\(hello)")
            return
        }
    }

    @Test func rolesNest() {
        #expect(Role.admin.permits(.operator) && Role.admin.permits(.viewer))
        #expect(Role.operator.permits(.viewer) && !Role.operator.permits(.admin))
        #expect(!Role.viewer.permits(.operator))
        #expect(Role.orderer.permits(CommandName.order.requiredRole) && Role.orderer.permits(.viewer))
        #expect(!Role.orderer.permits(CommandName.program.requiredRole) && !Role.orderer.permits(CommandName.start.requiredRole))
        #expect(!Role.viewer.permits(CommandName.order.requiredRole))
    }

    @Test func everyCommandIsInTheCatalogue() {
        let names = CommandName.catalogue.commands.map(\.cmd)
        #expect(names == CommandName.allCases.filter { $0 != .testFault }.map(\.rawValue), "test-only commands stay hidden")
        #expect(CommandName.notice.requiredRole == .admin)
    }
}
