package import InfusionCore

/// What a device driver's supervisor or the audit service may do to the chairs: hand a chair's core an input.
/// The control bridge is one; nothing else of it (commands, status, the loop) is theirs to reach.
package protocol ChairInputSink: Sendable {
    /// The chairs' identifiers, by index: the `chair` an input is for.
    var chairIDs: [String] { get }
    /// Queues `input` for chair `chair`'s core.
    func submit(_ input: CoreInput, chair: Int)
    /// Queues `inputs`, in order, for chair `chair`'s core: a report's readings, handed over at once.
    func submit(_ inputs: [CoreInput], chair: Int)
}

extension ChairInputSink {
    package func submit(_ inputs: [CoreInput], chair: Int) {
        for input in inputs { submit(input, chair: chair) }
    }
}

/// What the watchdog reports of the chairs: each one as `status` shows it.
package protocol ChairStatusSource: Sendable {
    var chairSnapshots: [ChairSnapshot] { get }
}

extension ControlBridge: ChairInputSink, ChairStatusSource {}
