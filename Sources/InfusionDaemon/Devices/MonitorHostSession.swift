package import DeviceProtocols
package import InfusionCore

/// What a monitor session produced from one input: bytes to write to the port and readings.
package struct MonitorSessionOutput: Sendable {
    package var transmit: [UInt8] = []
    package var reports: [MonitorReport] = []

    package init(transmit: [UInt8] = [], reports: [MonitorReport] = []) {
        self.transmit = transmit
        self.reports = reports
    }
}

/// The host side of one monitor family's protocol over one connection, as a pure state machine:
/// received bytes and the passing of time in, bytes to send and readings out. A fresh session is
/// made for every (re)opened link, so decoders and associations start clean.
package protocol MonitorHostSession: Sendable {
    /// How often `tick` must be called; nil when the protocol needs no timers (output-only devices).
    var tickInterval: Duration? { get }
    /// Bytes to send as soon as the link is open (IntelliVue: the association request).
    mutating func begin(at time: MonotonicInstant) -> [UInt8]
    mutating func receive(_ bytes: [UInt8], at time: MonotonicInstant) -> MonitorSessionOutput
    mutating func tick(at time: MonotonicInstant) -> MonitorSessionOutput
    /// Bytes to send before the link is closed on purpose (IntelliVue: the release request).
    mutating func end(at time: MonotonicInstant) -> [UInt8]
    /// Whether the protocol's own dialogue lets readings flow now. False while an IntelliVue has no
    /// association (refused, aborted or released by the monitor, or not yet made): the driver reports
    /// the link down at once then, whatever the port does. Output-only families are always ready.
    var isReadyForReadings: Bool { get }
    /// Bytes to send when the monitor has sent no reading for the driver's link-loss time with the
    /// port open (IntelliVue: a fresh association request, in case the monitor dropped the association
    /// without telling us); output-only families send nothing.
    mutating func restartAfterSilence(at time: MonotonicInstant) -> [UInt8]
    /// The answer to "start a cuff measurement now". No family here can be asked: the oximeters'
    /// ports are output-only and measure no pressure, and IntelliVue Data Export has no such
    /// operation, so each names its reason and the monitor's own NIBP cycle applies.
    static var bloodPressureStartRefusal: MonitorCommandRefusal { get }
}

/// A monitor whose port only streams readings: no timers, nothing to send when opening or closing.
package protocol OutputOnlyMonitorSession: MonitorHostSession {}

extension OutputOnlyMonitorSession {
    package var tickInterval: Duration? { nil }
    package mutating func begin(at time: MonotonicInstant) -> [UInt8] { [] }
    package mutating func tick(at time: MonotonicInstant) -> MonitorSessionOutput { MonitorSessionOutput() }
    package mutating func end(at time: MonotonicInstant) -> [UInt8] { [] }
    package var isReadyForReadings: Bool { true }
    package mutating func restartAfterSilence(at time: MonotonicInstant) -> [UInt8] { [] }
}

/// Masimo Radical-7 / Rad-8 ASCII 1 output: one line a second, nothing to send.
package struct MasimoHostSession: OutputOnlyMonitorSession {
    private var monitor = MasimoMonitor()

    package init() {}

    package static var bloodPressureStartRefusal: MonitorCommandRefusal {
        MonitorCommandRefusal(
            .notSupportedByProtocol,
            reason: "Masimo ASCII 1 serial output is output-only and the oximeter measures no blood pressure")
    }

    package mutating func receive(_ bytes: [UInt8], at time: MonotonicInstant) -> MonitorSessionOutput {
        MonitorSessionOutput(reports: monitor.receive(bytes, at: time))
    }
}

/// Nonin Data Format 2 or 8 output: frames stream by themselves, nothing to send.
package struct NoninHostSession: OutputOnlyMonitorSession {
    private var monitor: NoninMonitor

    package init(format: NoninDataFormat) {
        monitor = NoninMonitor(format: format)
    }

    package static var bloodPressureStartRefusal: MonitorCommandRefusal {
        MonitorCommandRefusal(
            .notSupportedByProtocol,
            reason: "Nonin Data Format 2 and 8 are output-only and the oximeter measures no blood pressure")
    }

    package mutating func receive(_ bytes: [UInt8], at time: MonotonicInstant) -> MonitorSessionOutput {
        MonitorSessionOutput(reports: monitor.receive(bytes, at: time))
    }
}

/// Philips IntelliVue MIB/RS232 Data Export: the codec's host session (association, MDS create
/// result, extended numerics poll, renewal and keep-alive), restarted when the monitor refuses,
/// aborts or releases the association.
package struct IntelliVueHostSessionAdapter: MonitorHostSession {
    private var session: IntelliVueHostSession
    private var lastStart = MonotonicInstant.zero

    package init(configuration: IntelliVueHostConfiguration) {
        session = IntelliVueHostSession(configuration: configuration)
    }

    /// Data Export lets a client associate, answer event reports, poll (the only actions are
    /// NOM_ACT_POLL_MDIB_DATA and its extended form), get attributes and set its priority lists; the
    /// Data Export Interface Programming Guide's operations name no NIBP start, and VSCaptureMP's
    /// author found none (github.com/xeonfusion/VSCaptureMP issue 7). The monitor's own NIBP cycle
    /// (automatic mode, or its Start NBP key) applies; see docs/SIMULATORS.md.
    package static var bloodPressureStartRefusal: MonitorCommandRefusal {
        MonitorCommandRefusal(
            .notSupportedByProtocol,
            reason: "Philips IntelliVue Data Export offers no NIBP start; the monitor's own NIBP cycle applies")
    }

    /// Half a second: the session asks for "at least once a second".
    package var tickInterval: Duration? { .milliseconds(500) }

    package mutating func begin(at time: MonotonicInstant) -> [UInt8] {
        lastStart = time
        return session.start(at: time)
    }

    package mutating func receive(_ bytes: [UInt8], at time: MonotonicInstant) -> MonitorSessionOutput {
        let output = session.receive(bytes, at: time)
        return MonitorSessionOutput(transmit: output.transmit, reports: output.reports)
    }

    package mutating func tick(at time: MonotonicInstant) -> MonitorSessionOutput {
        var output = session.tick(at: time)
        // After a refusal, abort or release the session waits for us; ask again, no faster than the
        // session's own response timeout.
        if session.state == .disconnected, time - lastStart >= session.configuration.responseTimeout {
            output.transmit += begin(at: time)
        }
        return MonitorSessionOutput(transmit: output.transmit, reports: output.reports)
    }

    package mutating func end(at time: MonotonicInstant) -> [UInt8] {
        session.release(at: time)
    }

    /// Only while the extended numerics poll runs: association, MDS create and release are not.
    package var isReadyForReadings: Bool { session.state == .polling }

    /// A monitor that went silent may have dropped the association without an abort reaching us (a
    /// reboot, a cable broken one way): associate again rather than keep polling a session it forgot.
    package mutating func restartAfterSilence(at time: MonotonicInstant) -> [UInt8] {
        begin(at: time)
    }
}
