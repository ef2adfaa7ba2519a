// The built-in observation scales. Ranges and level meanings are paraphrased from the sources listed in
// docs/CLINICAL-BASIS.md §8 (section cited at each scale); [D] marks what this project derived, [M]
// background not re-checked against a primary text. A clinic may reword or add scales in
// `core.observationScales`.

extension ObservationScale {
    /// Modified Observer's Assessment of Alertness/Sedation, 0 (no response) to 5 (alert)
    /// (docs/CLINICAL-BASIS.md §8.1). MOAA/S 5 is the sedation-resolved level discharge asks for.
    public static let moaas = ObservationScale(
        id: "moaas", name: "MOAA/S (Modified Observer's Assessment of Alertness/Sedation)", minimum: 0, maximum: 5,
        levels: [
            ObservationLevel(5, "alert; answers readily to the name spoken in a normal tone"),
            ObservationLevel(4, "lethargic answer to the name spoken in a normal tone (mild sedation)"),
            ObservationLevel(3, "answers only when the name is called loudly or repeatedly"),
            ObservationLevel(2, "answers only after mild prodding or shaking"),
            ObservationLevel(1, "answers only to a painful squeeze of the trapezius"),
            ObservationLevel(0, "no answer to a trapezius squeeze"),
        ])

    /// Richmond Agitation-Sedation Scale, −5 (unrousable) to +4 (combative) (docs/CLINICAL-BASIS.md §8.1). Built for
    /// intensive care; offered, not scheduled, since no source shows it in outpatient ketamine use.
    public static let rass = ObservationScale(
        id: "rass", name: "RASS (Richmond Agitation-Sedation Scale)", minimum: -5, maximum: 4,
        levels: [
            ObservationLevel(4, "combative"),
            ObservationLevel(3, "very agitated"),
            ObservationLevel(2, "agitated"),
            ObservationLevel(1, "restless"),
            ObservationLevel(0, "alert and calm"),
            ObservationLevel(-1, "drowsy: eye contact to voice held more than 10 s"),
            ObservationLevel(-2, "light sedation: eye contact to voice less than 10 s"),
            ObservationLevel(-3, "moderate sedation: moves to voice, no eye contact"),
            ObservationLevel(-4, "deep sedation: moves only to physical stimulation"),
            ObservationLevel(-5, "unrousable"),
        ])

    /// Nausea on the four-point verbal scale, 0 none to 3 severe (docs/CLINICAL-BASIS.md §8.5): quick to ask at
    /// the chair, and each level has a word the patient can choose.
    public static let nausea = ObservationScale(
        id: "nausea", name: "Nausea, verbal rating", minimum: 0, maximum: 3,
        levels: [
            ObservationLevel(0, "none"), ObservationLevel(1, "mild"), ObservationLevel(2, "moderate"),
            ObservationLevel(3, "severe"),
        ])

    /// CADSS-6, the six-item short form of the Clinician-Administered Dissociative States Scale: items scored
    /// 0–4, so 0–24 [D: 6 × 4] (docs/CLINICAL-BASIS.md §8.2).
    public static let cadss6 = ObservationScale(
        id: "cadss6", name: "CADSS-6 (six-item Clinician-Administered Dissociative States Scale)", minimum: 0, maximum: 24)

    /// Pain on the 0–10 numeric rating scale (docs/CLINICAL-BASIS.md §8.6); the anchors are [M].
    public static let painNRS = ObservationScale(
        id: "painNRS", name: "Pain, numeric rating scale", minimum: 0, maximum: 10,
        levels: [ObservationLevel(0, "no pain"), ObservationLevel(10, "worst pain imaginable")])

    /// PHQ-9 depression questionnaire, total 0–27; bands at the cut-offs 5, 10, 15, 20 (names [M])
    /// (docs/CLINICAL-BASIS.md §8.6).
    public static let phq9 = ObservationScale(
        id: "phq9", name: "PHQ-9 (Patient Health Questionnaire-9)", minimum: 0, maximum: 27,
        levels: [
            ObservationLevel(from: 0, to: 4, "minimal"), ObservationLevel(from: 5, to: 9, "mild"),
            ObservationLevel(from: 10, to: 14, "moderate"), ObservationLevel(from: 15, to: 19, "moderately severe"),
            ObservationLevel(from: 20, to: 27, "severe"),
        ])

    /// QIDS-SR16 self-report depression score, total 0–27; 0–5 no depression, the higher bands [M]
    /// (docs/CLINICAL-BASIS.md §8.6).
    public static let qidsSR16 = ObservationScale(
        id: "qidsSR16", name: "QIDS-SR16 (Quick Inventory of Depressive Symptomatology, self-report)", minimum: 0,
        maximum: 27,
        levels: [
            ObservationLevel(from: 0, to: 5, "no depression"), ObservationLevel(from: 6, to: 10, "mild"),
            ObservationLevel(from: 11, to: 15, "moderate"), ObservationLevel(from: 16, to: 20, "severe"),
            ObservationLevel(from: 21, to: 27, "very severe"),
        ])

    /// Modified Aldrete total: five items scored 0–2, so 0–10 (docs/CLINICAL-BASIS.md §1.8, §8.7, row 18). The
    /// `recovery` command records it item by item; `observe` takes the total.
    public static let aldrete = ObservationScale(
        id: "aldrete", name: "Modified Aldrete score", minimum: 0, maximum: 10)

    /// Post-Anaesthetic Discharge Scoring System: five items scored 0–2, so 0–10; ≥ 9 with an adult escort
    /// for home readiness (docs/CLINICAL-BASIS.md §8.7).
    public static let padss = ObservationScale(
        id: "padss", name: "PADSS (Post-Anaesthetic Discharge Scoring System)", minimum: 0, maximum: 10)

    /// Every built-in scale.
    public static let builtIns: [ObservationScale] = [moaas, rass, nausea, cadss6, painNRS, phq9, qidsSR16, aldrete, padss]

    /// The built-in scale with `id`, if there is one.
    public static func builtIn(id: String) -> ObservationScale? {
        builtIns.first { $0.id == id }
    }
}
