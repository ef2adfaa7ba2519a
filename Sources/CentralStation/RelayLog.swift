/// One message for browsers: a server-sent event with its number in this process's relay.
package struct RelayMessage: Sendable, Equatable {
    /// Increasing from 1 in this process; 0 for messages that are not kept (a snapshot made for one browser).
    package var number: UInt64
    /// `snapshot` (every chair and the daemon link), `chair` (one chair's tile) or `daemon` (the link).
    package var event: String
    /// Compact JSON, one line.
    package var data: [UInt8]
}

/// The relay's recent messages, so a browser that reconnects with `Last-Event-ID` gets exactly what it
/// missed. When it missed more than the log holds, or the id is from another run, it gets a snapshot.
package struct RelayLog: Sendable {
    package let capacity: Int
    private var messages: [RelayMessage] = []
    package private(set) var lastNumber: UInt64 = 0

    package init(capacity: Int = 2048) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// Numbers and keeps a message.
    @discardableResult
    package mutating func append(event: String, data: [UInt8]) -> RelayMessage {
        lastNumber += 1
        let message = RelayMessage(number: lastNumber, event: event, data: data)
        messages.append(message)
        // Trim in batches so appending stays cheap.
        if messages.count >= 2 * capacity { messages.removeFirst(messages.count - capacity) }
        return message
    }

    /// Every message after `number`, oldest first; nil when some of them are no longer kept or the number
    /// was never given out.
    package func messages(after number: UInt64) -> [RelayMessage]? {
        guard number <= lastNumber else { return nil }
        if number == lastNumber { return [] }
        guard let first = messages.first, first.number <= number + 1 else { return nil }
        return Array(messages[Int(number + 1 - first.number)...])
    }
}
