/// The `text/event-stream` framing (WHATWG HTML, "Server-sent events") of relay messages. A browser's
/// EventSource reconnects by itself and sends the last `id` it saw as `Last-Event-ID`.
package enum ServerSentEvents {
    /// The frame of `message`. Its id is `EPOCH-NUMBER`: the epoch tells this run's numbers from another's.
    /// A message numbered 0 keeps the browser's last id (it is sent with the id of the log's newest message).
    package static func frame(_ message: RelayMessage, epoch: String, idNumber: UInt64? = nil) -> [UInt8] {
        let number = idNumber ?? message.number
        var text = "id: \(epoch)-\(number)\nevent: \(message.event)\ndata: "
        text.reserveCapacity(text.utf8.count + message.data.count + 2)
        return Array(text.utf8) + message.data + Array("\n\n".utf8)
    }

    /// A frame without an id (the browser's last id stays), for the heartbeat.
    package static func unnumberedFrame(event: String, data: [UInt8]) -> [UInt8] {
        Array("event: \(event)\ndata: ".utf8) + data + Array("\n\n".utf8)
    }

    /// The first frame of a stream: how long the browser waits before reconnecting, in milliseconds.
    package static func retryFrame(milliseconds: Int) -> [UInt8] {
        Array("retry: \(milliseconds)\n\n".utf8)
    }

    /// The relay number in a `Last-Event-ID` this run gave out; nil for another run's, or anything else.
    package static func relayNumber(lastEventID: String?, epoch: String) -> UInt64? {
        guard let id = lastEventID?.trimmingWhitespace, id.hasPrefix(epoch + "-") else { return nil }
        return UInt64(id.dropFirst(epoch.count + 1))
    }
}

extension String {
    var trimmingWhitespace: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
