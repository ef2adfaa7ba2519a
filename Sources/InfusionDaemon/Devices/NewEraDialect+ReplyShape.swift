package import DeviceProtocols

extension NewEraDialect {
    /// What the reply to a command looks like, so that a late reply to an earlier query (after a
    /// timeout) is not taken for the answer to another kind of command. Replies carrying only a
    /// status look alike (see `PumpReplyShape`). An alarm or error reply fits every command.
    package enum ReplyShape: PumpReplyShape {
        case rate, dispensed, number, empty

        package init(_ command: NewEraCommand) {
            switch command {
            case .queryRate: self = .rate
            case .queryDispensed: self = .dispensed
            case .queryDiameter: self = .number
            default: self = .empty
            }
        }

        package func fits(_ reply: NewEraReply) -> Bool {
            guard reply.alarm == nil, let payload = reply.payload else { return true }
            switch self {
            case .rate: return NewEraReplyValues.rate(payload) != nil
            case .dispensed: return NewEraReplyValues.dispensed(payload) != nil
            case .number: return NewEraReplyValues.number(payload) != nil
            case .empty: return payload.isEmpty
            }
        }
    }
}
