import InfusionCore

extension IntelliVueObservation {
    /// The identity of the measurement the observation carries: its relative time stamp, else its
    /// absolute one; nil when the monitor sent neither.
    public var measurementStamp: IntelliVueMeasurementStamp? {
        if let relativeTimeStamp { return .relative(relativeTimeStamp) }
        if let absoluteTimeStamp { return .absolute(absoluteTimeStamp) }
        return nil
    }

    /// How long before `result` was produced the observation's numerics were measured, from the
    /// monitor's own clocks: the relative stamp against the reply's relative time (same clock,
    /// 1/8 ms), else the absolute stamp against the reply's absolute time (whole seconds). Nil when
    /// there is nothing to compare.
    ///
    /// The relative clock is 32 bits wide and wraps after about 6.2 days; the difference is taken
    /// modulo that width, so a stamp that seems to lie after the reply reads as days old, never
    /// as fresh. An absolute stamp after the reply's absolute time gives nil (the clock was set).
    /// An absolute stamp further back than the relative clock's span (years, even centuries, from a
    /// damaged stamp or a clock set far off) reads as that span, `maximumAge`: stale for any use, and
    /// a date the host's clock can hold (a reading dated centuries back overflowed the core's
    /// arithmetic; docs/FUZZING.md).
    public func age(in result: IntelliVuePollResult) -> Duration? {
        if let relativeTimeStamp {
            let ticks = result.relativeTime &- relativeTimeStamp
            return .nanoseconds(Int64(ticks) * IntelliVueMeasurementLedger.nanosecondsPerTick)
        }
        if let absoluteTimeStamp, let replyTime = result.absoluteTime {
            let seconds = replyTime.seconds(since: absoluteTimeStamp)
            return seconds >= 0 ? min(.seconds(seconds), Self.maximumAge) : nil
        }
        return nil
    }

    /// The greatest age `age(in:)` gives: the span of the 32-bit relative clock, 2³² ticks of 1/8 ms
    /// (about 6.2 days).
    public static let maximumAge = Duration.nanoseconds(
        Int64(UInt32.max) * IntelliVueMeasurementLedger.nanosecondsPerTick)
}

/// A numeric's measurement identity as the monitor stamps it.
public enum IntelliVueMeasurementStamp: Hashable, Sendable {
    case relative(UInt32)
    case absolute(IntelliVueAbsoluteTime)
}

/// Turns poll results into vital signs once per measurement, each dated when it was measured.
///
/// An IntelliVue repeats every numeric in every extended-poll result, so an NIBP taken once every
/// few minutes arrives once a second. Where the monitor stamps a numeric with its measurement time,
/// the ledger passes a value on only when its stamp differs from the last one seen for the same
/// object and parameter, and dates it "receive time minus the age the monitor reports"; the core's
/// stale-data check and its "confirming second reading" rule then see one reading per cuff cycle.
/// Numerics without a stamp are passed on every time, dated at receipt.
struct IntelliVueMeasurementLedger: Hashable, Sendable {
    /// RelativeTime runs at 8000 ticks a second.
    static let nanosecondsPerTick: Int64 = 125_000
    /// More distinct objects than a monitor shows; past it the ledger starts afresh (at worst one
    /// repeat per object, still correctly dated) rather than grow on a hostile stream.
    static let capacity = 256

    private struct Key: Hashable, Sendable {
        var context: UInt16
        var handle: UInt16
        var physiologicalIdentifier: UInt16
    }

    private var lastStamps: [Key: IntelliVueMeasurementStamp] = [:]

    /// The vital signs in `result` that infusiond watches and has not yet seen, received at `time`.
    mutating func newVitals(in result: IntelliVuePollResult, receivedAt time: MonotonicInstant) -> [VitalSign] {
        var vitals: [VitalSign] = []
        for context in result.contexts {
            for observation in context.observations {
                let stamp = observation.measurementStamp
                let measured = observation.age(in: result).map { time + (.zero - $0) } ?? time
                for numeric in observation.numerics {
                    guard let vital = numeric.vitalSign(at: measured) else { continue }
                    if let stamp {
                        let key = Key(
                            context: context.contextIdentifier, handle: observation.handle,
                            physiologicalIdentifier: numeric.physiologicalIdentifier)
                        guard lastStamps[key] != stamp else { continue }
                        if lastStamps.count >= Self.capacity, lastStamps[key] == nil { lastStamps.removeAll() }
                        lastStamps[key] = stamp
                    }
                    vitals.append(vital)
                }
            }
        }
        return vitals
    }
}
