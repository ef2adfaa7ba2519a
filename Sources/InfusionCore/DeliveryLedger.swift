/// The session's account of drug delivered, kept two ways side by side (docs/CLINICAL-BASIS.md §3.1 [D], §6.3):
/// the integral of the flow the core commanded, and the volume the pump reports. Survives pauses and
/// syringe changes; each syringe's volume is priced at its own concentration.
///
/// Fixed-size value; accruing and recording neither allocate nor fail on bad input.
struct DeliveryLedger: Hashable, Sendable, Codable {
    /// Concentration of the syringe now loaded.
    private(set) var concentration: MilligramsPerMillilitre
    /// The flow the core believes the pump is delivering now (zero when not delivering).
    private(set) var flow = MillilitresPerHour.zero
    /// Drug delivered by syringes already removed, by the commanded account and by the pump's account.
    private var commandedDoseBeforeSyringe = Milligrams.zero
    private var reportedDoseBeforeSyringe = Milligrams.zero
    /// The current syringe's volumes, commanded and reported.
    private(set) var commandedVolumeThisSyringe = Millilitres.zero
    private(set) var reportedVolumeThisSyringe: Millilitres?
    /// Time spent delivering from the current syringe (for the "after 10 min" reconciliation rule).
    private(set) var deliveringTimeThisSyringe = Duration.zero
    /// The pump counter value that corresponds to zero for this syringe, and the counter's last value.
    private var counterBaseline: Double?
    private(set) var lastCounter: Double?
    private var counterCarriedOverResets = 0.0

    init(concentration: MilligramsPerMillilitre) {
        self.concentration = concentration
    }

    /// Sets the flow delivered from now on.
    mutating func setFlow(_ flow: MillilitresPerHour) {
        self.flow = flow.value.isFinite && flow.value > 0 ? flow : .zero
    }

    /// Accounts for `duration` at the current flow.
    mutating func accrue(over duration: Duration) {
        guard flow.value > 0, duration > .zero else { return }
        commandedVolumeThisSyringe = commandedVolumeThisSyringe + flow.volume(over: duration)
        deliveringTimeThisSyringe += duration
    }

    /// Records the pump's volume counter. A counter that goes down was cleared by the pump; the volume
    /// counted before the clear is carried over.
    mutating func recordPumpCounter(_ millilitres: Double) {
        guard millilitres.isFinite, millilitres >= 0 else { return }
        if let lastCounter, millilitres < lastCounter { counterCarriedOverResets += lastCounter }
        let baseline = counterBaseline ?? 0
        counterBaseline = baseline
        lastCounter = millilitres
        reportedVolumeThisSyringe = Millilitres(max(0, counterCarriedOverResets + millilitres - baseline))
    }

    /// A new syringe is loaded: closes the old syringe's account and starts a new one. The pump counter
    /// is re-based at its last value, whether or not the pump clears it.
    mutating func changeSyringe(concentration newConcentration: MilligramsPerMillilitre) {
        commandedDoseBeforeSyringe = commandedDoseBeforeSyringe + commandedVolumeThisSyringe.drug(at: concentration)
        let reportedOrCommanded = reportedVolumeThisSyringe ?? commandedVolumeThisSyringe
        reportedDoseBeforeSyringe = reportedDoseBeforeSyringe + reportedOrCommanded.drug(at: concentration)
        concentration = newConcentration
        commandedVolumeThisSyringe = .zero
        reportedVolumeThisSyringe = nil
        deliveringTimeThisSyringe = .zero
        counterBaseline = lastCounter
        counterCarriedOverResets = 0
    }

    /// After a restart, adopts the pump's account of the current syringe as the commanded one: the core
    /// did not run while the pump did, so only the pump's counter knows what flowed meanwhile.
    mutating func adoptReportedVolume() {
        guard let reported = reportedVolumeThisSyringe else { return }
        commandedVolumeThisSyringe = reported
    }

    /// Drug delivered by the commanded account.
    var commandedDose: Milligrams { commandedDoseBeforeSyringe + commandedVolumeThisSyringe.drug(at: concentration) }

    /// Drug delivered by the pump's account, where the pump has reported (commanded otherwise).
    var reportedDose: Milligrams {
        reportedDoseBeforeSyringe + (reportedVolumeThisSyringe ?? commandedVolumeThisSyringe).drug(at: concentration)
    }

    /// The dose used for limits and completion: the larger account, so a disagreement errs towards
    /// stopping early rather than overdosing.
    var deliveredDose: Milligrams { max(commandedDose, reportedDose) }

    /// Volume out of the current syringe: the larger of the commanded and the pump-reported accounts.
    var volumeThisSyringe: Millilitres { Millilitres(max(commandedVolumeThisSyringe.value, reportedVolumeThisSyringe?.value ?? 0)) }

    /// Whether the two accounts of the current syringe disagree past `policy`'s bounds.
    func diverges(under policy: ReconciliationPolicy) -> Bool {
        guard let reported = reportedVolumeThisSyringe else { return false }
        let difference = abs(reported.value - commandedVolumeThisSyringe.value)
        if difference > policy.absoluteBoundMillilitres { return true }
        guard deliveringTimeThisSyringe >= .configured(seconds: policy.relativeBoundAfterSeconds),
            commandedVolumeThisSyringe.value > 0
        else { return false }
        return difference / commandedVolumeThisSyringe.value > policy.relativeBound
    }
}

/// Bounds on the divergence between commanded and pump-reported volume (docs/CLINICAL-BASIS.md §6.3:
/// alarm at > 10 % divergence after 10 min, or > 0.5 mL absolute).
public struct ReconciliationPolicy: Hashable, Sendable, Codable {
    public var absoluteBoundMillilitres: Double
    public var relativeBound: Double
    public var relativeBoundAfterSeconds: Double

    public init(absoluteBoundMillilitres: Double = 0.5, relativeBound: Double = 0.10, relativeBoundAfterSeconds: Double = 600) {
        self.absoluteBoundMillilitres = absoluteBoundMillilitres
        self.relativeBound = relativeBound
        self.relativeBoundAfterSeconds = relativeBoundAfterSeconds
    }

    enum CodingKeys: String, CodingKey {
        case absoluteBoundMillilitres, relativeBound, relativeBoundAfterSeconds
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let base = ReconciliationPolicy()
        absoluteBoundMillilitres = try c.decode(.absoluteBoundMillilitres, default: base.absoluteBoundMillilitres)
        relativeBound = try c.decode(.relativeBound, default: base.relativeBound)
        relativeBoundAfterSeconds = try c.decode(.relativeBoundAfterSeconds, default: base.relativeBoundAfterSeconds)
    }
}
