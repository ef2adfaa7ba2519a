import DeviceSimulators
import InfusionCore
import Testing

/// 0.5 mg/kg over 40 min for a 70 kg adult (docs/CLINICAL-BASIS.md §0 row 1): 35 mg at 52.5 mg/h.
private let weight = 70.0
private let standardRate = 0.5 * weight / 40 * 60

/// Runs the standard infusion through the pharmacokinetic model and the patient model, accelerated
/// 60-fold (one device second per patient minute), and returns one noisy reading per patient minute.
private func acceleratedRun(
    _ parameters: PatientParameters, model: PharmacokineticParameters, minutes: Int, seed: UInt64 = 42
) -> [PatientVitals] {
    let patient = PatientModel(parameters: parameters, seed: seed)
    let pharmacokinetics = PharmacokineticModel(parameters: model, weightKilograms: weight)
    var feed = PatientFeed(patient: patient, source: .script(.constant(0)), timeScale: 60)
    feed.setInfusionRate(standardRate, model: pharmacokinetics, at: .zero)
    var readings: [PatientVitals] = []
    for minute in 0...minutes {
        let deviceTime = MonotonicInstant.seconds(Double(minute))
        if minute == 40 { feed.setInfusionRate(0, model: pharmacokinetics, at: deviceTime) }
        readings.append(feed.measure(at: deviceTime))
    }
    return readings
}

@Suite("Patient model")
struct PatientModelTests {
    @Test(
        "a 40-minute accelerated run with the hypertensive preset crosses 180 mmHg between minutes 25 and 45",
        arguments: [PharmacokineticParameters.kamp, .domino], [UInt64(1), 42, 2026])
    func hypertensiveCrossing(model: PharmacokineticParameters, seed: UInt64) throws {
        let readings = acceleratedRun(.hypertensiveResponder, model: model, minutes: 60, seed: seed)
        let crossing = try #require(readings.firstIndex { $0.systolic >= 180 })
        #expect((25...45).contains(crossing), "first systolic ≥ 180 at minute \(crossing)")
        #expect(readings[0].systolic < 160)
    }

    @Test("the typical preset peaks near the end of the infusion, stays under 160 mmHg and settles within 90 minutes")
    func typicalCourse() {
        let patient = PatientModel(parameters: .typical, seed: 7)
        var feed = PatientFeed(patient: patient, source: .script(.constant(0)), timeScale: 60)
        let pharmacokinetics = PharmacokineticModel(parameters: .kamp, weightKilograms: weight)
        feed.setInfusionRate(standardRate, model: pharmacokinetics, at: .zero)
        var expected: [PatientVitals] = []
        for second in 0...130 {
            if second == 40 { feed.setInfusionRate(0, model: pharmacokinetics, at: .seconds(40)) }
            expected.append(feed.expectedVitals(at: .seconds(Double(second))))
        }
        let systolic = expected.map(\.systolic)
        let peakMinute = systolic.indices.max { systolic[$0] < systolic[$1] } ?? 0
        #expect((36...46).contains(peakMinute))
        #expect(systolic.allSatisfy { $0 < 160 })
        let baseline = PatientParameters.typical.baselineSystolic
        let rise = systolic[peakMinute] - baseline
        // Yale's mean rise was +16 mmHg; the model predicts a higher peak concentration than measured.
        #expect((12...26).contains(rise))
        #expect(systolic[130] - baseline < rise / 3)
        #expect(expected[peakMinute].heartRate > expected[0].heartRate)
    }

    @Test("with no drug the vitals stay at baseline; noise is seeded and repeatable")
    func baselineAndSeed() {
        var first = PatientModel(parameters: .typical, seed: 99)
        var second = PatientModel(parameters: .typical, seed: 99)
        var third = PatientModel(parameters: .typical, seed: 100)
        first.advance(to: .seconds(600), plasmaConcentration: 0)
        second.advance(to: .seconds(600), plasmaConcentration: 0)
        third.advance(to: .seconds(600), plasmaConcentration: 0)
        #expect(first.expectedVitals.systolic == PatientParameters.typical.baselineSystolic)
        let readings = (0..<5).map { _ in first.measure() }
        #expect(readings == (0..<5).map { _ in second.measure() })
        #expect(readings != (0..<5).map { _ in third.measure() })
        #expect(readings.allSatisfy { $0.spo2 <= 100 })
    }

    @Test("a scripted desaturation reaches its nadir and recovers")
    func desaturation() {
        let dip = SpO2Desaturation(start: .seconds(60), onset: .seconds(30), hold: .seconds(60), recovery: .seconds(30), nadir: 86)
        var patient = PatientModel(parameters: .typical, seed: 1, desaturations: [dip])
        var spo2: [Double] = []
        for second in stride(from: 0, through: 240, by: 15) {
            patient.advance(to: .seconds(Double(second)), plasmaConcentration: 0)
            spo2.append(patient.expectedVitals.spo2)
        }
        #expect(spo2[0] == 98)
        #expect(spo2[6] == 86)  // 90 s: onset done, holding
        #expect(spo2[8] == 86)  // 120 s
        #expect(spo2.last == 98)
    }

    @Test("the concentration script interpolates and rejects bad lines")
    func concentrationScript() throws {
        let script = try ConcentrationScript(parsing: "# minutes ng/mL\n0 0\n40 240 # end of infusion\n\n100 40\n")
        #expect(script.concentration(atMinutes: -5) == 0)
        #expect(script.concentration(atMinutes: 20) == 120)
        #expect(script.concentration(atMinutes: 70) == 140)
        #expect(script.concentration(atMinutes: 500) == 40)
        #expect(throws: ConcentrationScript.ParseError(line: 2, reason: "times must increase")) {
            try ConcentrationScript(parsing: "10 5\n5 6")
        }
        #expect(throws: ConcentrationScript.ParseError.self) { try ConcentrationScript(parsing: "1 two") }
        #expect(throws: ConcentrationScript.ParseError.self) { try ConcentrationScript(parsing: "1 -3") }
    }

    @Test("a replayed concentration drives the same rise as the equivalent constant")
    func scriptDrivesResponse() {
        var feed = PatientFeed(
            patient: PatientModel(parameters: .typical, seed: 3), source: .script(.constant(185)), timeScale: 60)
        // After many effect half-times the effect site has equilibrated with the plasma.
        let vitals = feed.expectedVitals(at: .seconds(300))
        #expect(abs(vitals.systolic - (118 + 0.086 * 185)) < 0.01)
        #expect(abs(vitals.diastolic - (76 + 0.059 * 185)) < 0.01)
    }
}
