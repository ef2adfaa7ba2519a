package import InfusionDashboard

/// One chair's tile as the browser draws it: `infusionctl top`'s fold (`ChairPanel`) put into JSON.
/// Times are milliseconds since the Unix epoch on the daemon's wall clock; the page counts ages and time
/// left from them against the `serverTime` each message carries, so no message is needed just because a
/// second passed. Only `stale` is derived here, at the instant the tile was made; the page derives it again
/// from `measuredAt` and `maximumAgeSeconds` as time goes on, so a value going stale is never shown as current.
package struct ChairTile: Encodable, Equatable, Sendable {
    package struct Alarm: Encodable, Equatable, Sendable {
        package var condition: String
        package var priority: String
        package var acknowledged: Bool
        package var audioPaused: Bool
        package var latched: Bool
    }

    package struct Vital: Encodable, Equatable, Sendable {
        package var parameter: String
        /// Nil when the monitor sent no number or flagged it untrustworthy: shown as absent, never as a number.
        package var value: Double?
        package var flags: [String]
        package var source: String?
        package var measuredAt: Int64
        package var maximumAgeSeconds: Double?
        package var stale: Bool
    }

    /// A vital's last 15 minutes, at most one point per `trendBucketMilliseconds` (the latest in each).
    package struct Trend: Encodable, Equatable, Sendable {
        package var parameter: String
        /// `[time, value]` pairs, oldest first.
        package var points: [[Double]]
    }

    package struct Observation: Encodable, Equatable, Sendable {
        package var scale: String
        package var value: Int
        package var time: Int64
    }

    package struct Due: Encodable, Equatable, Sendable {
        package var scale: String
        package var since: Int64
    }

    /// Trend resolution: 60 points across 15 minutes keep a tile's message a few kilobytes.
    static let trendBucketMilliseconds: Int64 = 15_000
    /// The vitals drawn as trends on a tile.
    static let trendParameters = ["spo2", "ecgHeartRate", "pulseRate", "nibpSystolic", "nibpDiastolic"]

    package var id: String
    package var state: String
    /// The patient at the chair, masked to its last two characters (`•••17`) unless the station is configured
    /// to show identifiers (`--show-patient-id`): the desk's screen can be seen by other patients.
    package var patient: String?
    package var profileID: String?
    package var drugName: String?
    package var weightKilograms: Double?
    /// Absent while delivery is uncertain: the flow is then unknown, never shown as 0 or as commanded.
    package var flowMillilitresPerHour: Double?
    package var deliveryUncertainReason: String?
    package var doseRate: Double?
    package var doseRateUnit: String?
    package var deliveredMilligrams: Double?
    package var programmedMilligrams: Double?
    package var estimatedCompletion: Int64?
    package var predictedConcentration: Double?
    package var syringeRemainingMillilitres: Double?
    package var bolusEndsAt: Int64?
    package var vitals: [Vital]
    package var trends: [Trend]
    /// Highest priority first, as the daemon orders them.
    package var alarms: [Alarm]
    package var audioPausedUntil: Int64?
    /// The priority the page must sound for this chair: the highest of its alarms that is neither
    /// acknowledged nor audio-paused; nil when none is.
    package var sounding: String?
    /// Device link state by role (`pump`, `monitor`).
    package var devices: [String: String]
    package var observations: [Observation]
    package var dueObservations: [Due]
    /// The alarm conditions awaiting a confirming cuff reading the nurse must start on the monitor.
    package var confirmingCuffReadingFor: [String]?

    /// The tile of `panel` at daemon time `now` (nanoseconds since the epoch), the patient's identifier shown
    /// whole only when `showPatientID`.
    package init(_ panel: ChairPanel, now: Int64, showPatientID: Bool = false) {
        id = panel.id
        state = panel.state
        patient = panel.patientID.map { showPatientID ? $0 : Self.masked($0) }
        profileID = panel.profileID
        drugName = panel.drugName
        weightKilograms = panel.weightKilograms
        deliveryUncertainReason = panel.deliveryUncertainReason
        flowMillilitresPerHour = panel.deliveryUncertainReason == nil ? panel.flowMillilitresPerHour : nil
        doseRate = panel.doseRate
        doseRateUnit = panel.doseRateUnit
        deliveredMilligrams = panel.deliveredMilligrams
        programmedMilligrams = panel.programmedMilligrams
        estimatedCompletion = panel.estimatedCompletion.map(Self.milliseconds)
        predictedConcentration = panel.predictedConcentration
        syringeRemainingMillilitres = panel.syringeRemainingMillilitres
        bolusEndsAt = panel.bolusEndsAt.map(Self.milliseconds)
        vitals = panel.vitals.keys.sorted().compactMap { parameter in
            guard let vital = panel.vitals[parameter] else { return nil }
            return Vital(
                parameter: parameter, value: vital.latest, flags: vital.flags, source: vital.source,
                measuredAt: Self.milliseconds(vital.time),
                maximumAgeSeconds: vital.maximumAgeNanoseconds.map { Double($0) / 1e9 },
                stale: vital.isStale(at: now))
        }
        trends = Self.trendParameters.compactMap { parameter in
            guard let history = panel.vitals[parameter]?.history, !history.isEmpty else { return nil }
            return Trend(parameter: parameter, points: Self.downsample(history))
        }
        alarms = panel.sortedAlarms.map {
            Alarm(condition: $0.condition, priority: $0.priority, acknowledged: $0.acknowledged,
                  audioPaused: $0.audioPaused, latched: $0.latched)
        }
        audioPausedUntil = panel.audioPausedUntil.map(Self.milliseconds)
        sounding = alarms.first { !$0.acknowledged && !$0.audioPaused }?.priority
        devices = panel.devices
        observations = panel.observations.keys.sorted().compactMap { scale in
            panel.observations[scale].map { Observation(scale: scale, value: $0.value, time: Self.milliseconds($0.time)) }
        }
        dueObservations = panel.dueObservations.map { Due(scale: $0.scale, since: Self.milliseconds($0.since)) }
        confirmingCuffReadingFor = panel.confirmingCuffReadingFor
    }

    static func milliseconds(_ nanoseconds: Int64) -> Int64 { nanoseconds / 1_000_000 }

    /// The latest reading in each bucket, so a trend's message stays small however often the monitor sends.
    static func downsample(_ history: [(time: Int64, value: Double)]) -> [[Double]] {
        var points: [[Double]] = []
        var lastBucket: Int64?
        for (time, value) in history {
            let milliseconds = Self.milliseconds(time)
            let bucket = milliseconds / trendBucketMilliseconds
            let point = [Double(milliseconds), (value * 10).rounded() / 10]
            if bucket == lastBucket { points[points.count - 1] = point } else { points.append(point) }
            lastBucket = bucket
        }
        return points
    }

    /// `identifier` with all but its last two characters hidden.
    static func masked(_ identifier: String) -> String {
        identifier.count <= 2 ? "•••" : "•••" + identifier.suffix(2)
    }
}
