/// The physiology of one simulated patient: baseline vitals, how strongly they respond to ketamine,
/// and how noisy each reading is. Every number is a parameter; the presets cite where theirs come from.
///
/// The response is linear in the effect-site concentration (ng/mL), which lags the predicted plasma
/// concentration by a first-order equilibration: that lag is what puts the peak near the end of a
/// 40-minute infusion and lets the response settle over the following hour as the plasma level falls.
public struct PatientParameters: Hashable, Sendable, Codable {
    public var baselineSystolic: Double
    public var baselineDiastolic: Double
    public var baselineHeartRate: Double
    public var baselineSpO2: Double
    public var baselineRespiratoryRate: Double
    /// Perfusion index, %.
    public var baselinePerfusionIndex: Double

    /// Systolic rise per ng/mL of effect-site ketamine, mmHg.
    public var systolicPerConcentration: Double
    /// Diastolic rise per ng/mL, mmHg.
    public var diastolicPerConcentration: Double
    /// Heart-rate rise per ng/mL, /min.
    public var heartRatePerConcentration: Double
    /// Half-time of plasma/effect-site equilibration.
    public var effectHalfTime: Duration

    /// Standard deviations of the measurement noise added to each reading.
    public var systolicNoise: Double
    public var diastolicNoise: Double
    public var heartRateNoise: Double
    public var spo2Noise: Double
    public var respiratoryRateNoise: Double

    public init(
        baselineSystolic: Double, baselineDiastolic: Double, baselineHeartRate: Double, baselineSpO2: Double,
        baselineRespiratoryRate: Double, baselinePerfusionIndex: Double, systolicPerConcentration: Double,
        diastolicPerConcentration: Double, heartRatePerConcentration: Double, effectHalfTime: Duration,
        systolicNoise: Double, diastolicNoise: Double, heartRateNoise: Double, spo2Noise: Double,
        respiratoryRateNoise: Double
    ) {
        self.baselineSystolic = baselineSystolic
        self.baselineDiastolic = baselineDiastolic
        self.baselineHeartRate = baselineHeartRate
        self.baselineSpO2 = baselineSpO2
        self.baselineRespiratoryRate = baselineRespiratoryRate
        self.baselinePerfusionIndex = baselinePerfusionIndex
        self.systolicPerConcentration = systolicPerConcentration
        self.diastolicPerConcentration = diastolicPerConcentration
        self.heartRatePerConcentration = heartRatePerConcentration
        self.effectHalfTime = effectHalfTime
        self.systolicNoise = systolicNoise
        self.diastolicNoise = diastolicNoise
        self.heartRateNoise = heartRateNoise
        self.spo2Noise = spo2Noise
        self.respiratoryRateNoise = respiratoryRateNoise
    }

    /// A patient with the average response of the large clinic series.
    ///
    /// - Baseline 118/76 mmHg: below the ~140/90 pre-infusion gate (docs/CLINICAL-BASIS.md §0 row 16) [D].
    /// - Baseline HR 72 /min, RR 14 /min, SpO2 98 %: ordinary resting adult values, inside every alarm
    ///   default of row 17 [D]; SpO2 above the 92 % Aldrete full-score line (row 18).
    /// - Response slopes: Yale's mean peak rise +16/+11 mmHg at 40 min (row 14, §1.6) divided by the
    ///   ≈185 ng/mL measured peak of 0.5 mg/kg over 40 min (row 34, §1.5): 0.086 and 0.059 mmHg per ng/mL.
    ///   With the Kamp or Domino model the effect-site peak is ≈195 ng/mL, so the simulated rise is ≈ +17/+12.
    /// - Heart rate +0.045 /min per ng/mL (≈ +9 /min at the peak) [D]: docs/CLINICAL-BASIS.md cites no mean HR rise;
    ///   chosen to stay well under the 110 /min advisory of rows 16–17.
    /// - Perfusion index 3 % and noise standard deviations (2 and 1.5 mmHg, 1.5 /min, 0.4 % SpO2,
    ///   0.7 /min RR) [D]: plausible monitor scatter for a simulator; docs/CLINICAL-BASIS.md cites none.
    /// - Effect half-time 12 min [D]: puts the peak at 40–41 min (row 14: peak at 30–40 min) and brings the
    ///   rise under a third of its peak within 1.5 h of the end (§1.6, Szarmach 2020).
    public static let typical = PatientParameters(
        baselineSystolic: 118, baselineDiastolic: 76, baselineHeartRate: 72, baselineSpO2: 98,
        baselineRespiratoryRate: 14, baselinePerfusionIndex: 3.0, systolicPerConcentration: 0.086,
        diastolicPerConcentration: 0.059, heartRatePerConcentration: 0.045, effectHalfTime: .seconds(12 * 60),
        systolicNoise: 2, diastolicNoise: 1.5, heartRateNoise: 1.5, spo2Noise: 0.4, respiratoryRateNoise: 0.7)

    /// A patient in Yale's severe-hypertension group (12.5 % of patients, mostly in early sessions;
    /// docs/CLINICAL-BASIS.md row 14, §1.6) [D]: baseline 137/88 mmHg, just under the ~140/90 pre-infusion gate
    /// (row 16) so the session starts, HR 78 /min, and about three times the typical pressor slope
    /// (0.25/0.12 mmHg and 0.09 /min per ng/mL). With 0.5 mg/kg over 40 min systolic pressure crosses
    /// the 180 mmHg stop threshold (rows 15–17, §1.7) at about 33–35 min and peaks near 186/111 mmHg.
    public static let hypertensiveResponder: PatientParameters = {
        var parameters = typical
        parameters.baselineSystolic = 137
        parameters.baselineDiastolic = 88
        parameters.baselineHeartRate = 78
        parameters.systolicPerConcentration = 0.25
        parameters.diastolicPerConcentration = 0.12
        parameters.heartRatePerConcentration = 0.09
        return parameters
    }()
}
