// Fuzz target: one line from a socket client, as the daemon reads it: Request.parse (WireProtocol),
// the typed field accessors, the reply that echoes the id, and for chair commands the daemon's
// ChairCommandTranslator (compiled in from Sources/InfusionDaemon/Socket) and the core it feeds.
import InfusionCore
import WireProtocol

@_cdecl("LLVMFuzzerTestOneInput")
public func requestParserFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let line = bytes(data, size)
    switch Request.parse(line: line) {
    case .failure(let failure):
        require(["bad-json", "bad-request"].contains(failure.error.code), "unexpected code \(failure.error.code)")
        require(!failure.error.message.isEmpty, "an error without a message")
        // The error reply is one valid line that echoes the id, when there was one.
        let reply = MessageFraming.failure(failure.command ?? "?", id: failure.id, error: failure.error)
        checkReply(reply, command: failure.command ?? "?", id: failure.id, ok: false)
    case .success(let request):
        // What the parser promises (docs/PROTOCOL.md "Requests"): an id the reply echoes exactly, no null field.
        require(!request.fields.values.contains { containsNull($0) }, "a null field was accepted")
        // Round trip: the request written as a line parses to the same request.
        let written: [UInt8]
        do {
            written = try LineCoding.encodeLine(request)
        } catch {
            fatalError("fuzz invariant broken: a parsed request does not encode: \(error)")
        }
        require(written.last == UInt8(ascii: "\n") && !written.dropLast().contains(UInt8(ascii: "\n")), "not one line")
        switch Request.parse(line: written.dropLast()) {
        case .failure(let failure): fatalError("fuzz invariant broken: a written request does not parse: \(failure)")
        case .success(let again):
            require(again.command == request.command, "command changed: \(request.command) → \(again.command)")
            require(sameID(again.id, request.id), "id changed: \(String(describing: request.id))")
            require(
                again.fields.count == request.fields.count
                    && request.fields.allSatisfy { key, value in equivalent(again.fields[key], value) },
                "fields changed")
        }
        checkReply(MessageFraming.success(request.command, id: request.id, result: EmptyResult()),
            command: request.command, id: request.id, ok: true)

        // Every accessor on every field either reads it or names it in its error.
        for key in request.fields.keys {
            expectNamed(key) { () throws(WireError) in _ = try request.string(key) }
            expectNamed(key) { () throws(WireError) in _ = try request.number(key) }
            expectNamed(key) { () throws(WireError) in _ = try request.bool(key) }
            expectNamed(key) { () throws(WireError) in _ = try request.strings(key) }
        }
        _ = try? request.topics()

        if let name = CommandName(rawValue: request.command), name.isChairCommand {
            do {
                let action = try ChairCommandTranslator.action(for: name, request)
                for start in [ChairProbe.admitted, ChairProbe.infusing] {
                    var probe = start
                    probe.command(action)
                    probe.tick(seconds: 2)
                }
            } catch {
                require(!error.message.isEmpty, "a chair command error without a message")
            }
        }
    }
    return 0
}

/// `reply` is one line the client library reads back as a reply to `command`, echoing `id` byte for byte.
private func checkReply(_ reply: [UInt8], command: String, id: RequestID?, ok: Bool) {
    require(reply.last == UInt8(ascii: "\n") && !reply.dropLast().contains(UInt8(ascii: "\n")), "reply not one line")
    let message: IncomingMessage
    do {
        message = try IncomingMessage.parse(line: reply.dropLast())
    } catch {
        fatalError("fuzz invariant broken: the reply is unreadable: \(error)")
    }
    guard case .reply(let repliedCommand, let repliedID, let repliedOK, _, _) = message else {
        fatalError("fuzz invariant broken: the reply reads as an event")
    }
    require(repliedCommand == command && repliedOK == ok, "reply to \(repliedCommand), ok \(repliedOK)")
    if let id {
        let echo = Array(#","id":"#.utf8) + id.jsonText + Array(#","ok":"#.utf8)
        require(reply.firstRange(of: echo) != nil, "id not echoed exactly: \(id)")
    }
    let expected: JSONValue? = switch id {
    case nil: nil
    case .string(let text)?: .string(text)
    case .number(let text)?: .number(Double(text) ?? .nan)
    }
    require(equivalent(repliedID, expected), "id not read back: \(String(describing: id)) → \(String(describing: repliedID))")
}

/// The same id: the same string, or numbers of the same value (a request written through an encoder keeps a
/// number's value, not its text).
private func sameID(_ lhs: RequestID?, _ rhs: RequestID?) -> Bool {
    switch (lhs, rhs) {
    case (nil, nil): return true
    case (.string(let a)?, .string(let b)?): return a == b
    case (.number(let a)?, .number(let b)?):
        guard let x = Double(a), let y = Double(b) else { return false }
        return x == y || abs(x - y) <= 1e-12 * max(abs(x), abs(y))
    default: return false
    }
}

/// An accessor that throws names the field in its message.
private func expectNamed(_ key: String, _ body: () throws(WireError) -> Void) {
    do {
        try body()
    } catch {
        require(error.message.contains("'\(key)'"), "error does not name field '\(key)': \(error.message)")
    }
}

private func containsNull(_ value: JSONValue) -> Bool {
    switch value {
    case .null: true
    case .array(let elements): elements.contains { containsNull($0) }
    case .object(let members): members.values.contains { containsNull($0) }
    default: false
    }
}

/// Equal as JSON: numbers compare by value, whether read as integers or not (the client library reads
/// the echo with Foundation, which makes `1.0` an integer).
private func equivalent(_ lhs: JSONValue?, _ rhs: JSONValue?) -> Bool {
    switch (lhs, rhs) {
    case (nil, nil): return true
    case (let left?, let right?):
        switch (left, right) {
        case (.integer(let a), .number(let b)), (.number(let b), .integer(let a)): return Double(a) == b
        case (.number(let a), .number(let b)): return a == b || abs(a - b) <= 1e-12 * max(abs(a), abs(b))
        case (.array(let a), .array(let b)): return a.count == b.count && zip(a, b).allSatisfy { equivalent($0, $1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count && a.allSatisfy { key, value in equivalent(b[key], value) }
        default: return left == right
        }
    default: return false
    }
}
