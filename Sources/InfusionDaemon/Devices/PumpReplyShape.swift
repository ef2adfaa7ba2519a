/// What the reply to a command looks like, so that a late reply to an earlier query (after a
/// timeout) is not taken for the answer to another kind of command: the value a query asks for
/// must be there and read as that kind of value. Replies without a value look alike, so a late one
/// can still stand in for another; the read-back that follows every state change is what catches
/// its consequences. A reply that answers any command (`PumpDialect.answersAnyCommand`) fits every
/// shape.
package enum PumpReplyShape<Dialect: PumpDialect>: Hashable, Sendable {
    case rate, volume, diameter, empty

    package init(_ command: Dialect.Command) {
        switch command {
        case Dialect.rateQuery: self = .rate
        case Dialect.volumeQuery: self = .volume
        case Dialect.diameterQuery: self = .diameter
        default: self = .empty
        }
    }

    package func fits(_ reply: Dialect.Reply) -> Bool {
        if Dialect.answersAnyCommand(reply) { return true }
        guard let value = Dialect.value(in: reply) else { return self == .empty }
        switch self {
        case .rate: return Dialect.printedValues.isRate(value)
        case .volume: return Dialect.printedValues.isVolume(value)
        case .diameter: return Dialect.printedValues.diameter(value) != nil
        case .empty: return value.isEmpty
        }
    }
}
