package import DeviceProtocols

extension HarvardDialect {
    /// What the reply to a command looks like. Harvard replies do not echo the command, so this is
    /// all that keeps a late reply to a timed-out query from answering another kind of command.
    /// Prompt-only replies look alike (see `PumpReplyShape`). An error reply fits every command.
    package enum ReplyShape: PumpReplyShape {
        case rate, volume, diameter, empty

        package init(_ command: HarvardCommand) {
            switch command {
            case .queryInfusionRate: self = .rate
            case .queryInfusedVolume: self = .volume
            case .queryDiameter: self = .diameter
            default: self = .empty
            }
        }

        package func fits(_ reply: HarvardReply) -> Bool {
            guard reply.error == nil else { return true }
            guard let line = reply.lines.last else { return self == .empty }
            switch self {
            case .rate: return HarvardReplyValues.rate(line) != nil
            case .volume: return HarvardReplyValues.volume(line) != nil
            case .diameter: return HarvardReplyValues.diameter(line) != nil
            case .empty: return false
            }
        }
    }
}
