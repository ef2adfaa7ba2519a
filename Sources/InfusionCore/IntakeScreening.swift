/// A contraindication the clinic screens for at intake (docs/CLINICAL-BASIS.md §1.9): the conditions the
/// clinic pages and the ketamine guideline name. Raw values are the keys of intake's `screening` object.
public enum Contraindication: String, Hashable, Sendable, Codable, CaseIterable, CodingKeyRepresentable {
    case uncontrolledHypertension
    case unstableHeartDisease
    case raisedIntracranialPressure
    case raisedIntraocularPressure
    case interstitialCystitis
    case activeSubstanceMisuse
    /// A current manic phase.
    case currentMania
    /// Active psychotic symptoms.
    case activePsychosis
}

/// Intake's structured screening: each contraindication answered present (true) or absent (false).
/// A name that is not a contraindication is refused when the request is read, so a misspelt answer
/// never passes as unanswered-but-ignored.
public struct IntakeScreening: Hashable, Sendable, Codable {
    public var answers: [Contraindication: Bool]

    public init(answers: [Contraindication: Bool]) {
        self.answers = answers
    }

    /// The contraindications answered present, in declaration order.
    public var present: [Contraindication] { Contraindication.allCases.filter { answers[$0] == true } }

    /// The contraindications not answered, in declaration order.
    public var unanswered: [Contraindication] { Contraindication.allCases.filter { answers[$0] == nil } }

    public init(from decoder: any Decoder) throws {
        let raw = try [String: Bool](from: decoder)
        var answers: [Contraindication: Bool] = [:]
        for (name, present) in raw {
            guard let contraindication = Contraindication(rawValue: name) else {
                let known = Contraindication.allCases.map(\.rawValue).joined(separator: ", ")
                throw DecodingError.dataCorrupted(.init(
                    codingPath: decoder.codingPath, debugDescription: "unknown contraindication '\(name)'; known: \(known)"))
            }
            answers[contraindication] = present
        }
        self.answers = answers
    }

    public func encode(to encoder: any Encoder) throws {
        try Dictionary(uniqueKeysWithValues: answers.map { ($0.key.rawValue, $0.value) }).encode(to: encoder)
    }
}

/// How intake treats the screening (`core.intakeScreening`, docs/CLINICAL-BASIS.md §1.9).
public struct IntakeScreeningPolicy: Hashable, Sendable, Codable {
    /// What a contraindication answered present does to intake.
    public enum Response: String, Hashable, Sendable, Codable, CaseIterable {
        /// Intake is refused (`contraindication-present`).
        case refuse
        /// Intake needs `screeningOverride` with a reason (`contraindication-needs-override`).
        case overrideWithReason
    }

    /// The response per contraindication. [V] the label contraindicates ketamine where a significant rise in
    /// blood pressure would be a serious hazard: `uncontrolledHypertension` refuses. [D] the guideline calls
    /// the others relative contraindications, a prescriber's judgement: they need an override with a reason.
    public var responses: [Contraindication: Response]
    /// Refuse an intake without the structured screening (`screening-required`). [D] false: the signed
    /// paper checklist alone stays valid.
    public var requireStructured: Bool

    public init(responses: [Contraindication: Response] = Self.defaultResponses, requireStructured: Bool = false) {
        self.responses = responses
        self.requireStructured = requireStructured
    }

    public static let defaultResponses: [Contraindication: Response] = Dictionary(
        uniqueKeysWithValues: Contraindication.allCases.map { ($0, $0 == .uncontrolledHypertension ? .refuse : .overrideWithReason) })

    /// The response to `contraindication` (a configured one, else the default).
    public func response(to contraindication: Contraindication) -> Response {
        responses[contraindication] ?? Self.defaultResponses[contraindication] ?? .refuse
    }

    enum CodingKeys: String, CodingKey {
        case responses, requireStructured
    }

    /// Configured responses are merged over the defaults, so a clinic names only those it changes.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let base = IntakeScreeningPolicy()
        let configured = try c.decode(.responses, default: [Contraindication: Response]())
        responses = base.responses.merging(configured) { _, new in new }
        requireStructured = try c.decode(.requireStructured, default: base.requireStructured)
    }
}

/// Which screening an intake used, as the session record keeps it.
public enum ScreeningMethod: String, Hashable, Sendable, Codable {
    /// The signed checklist alone: the clinic screened on paper.
    case signedChecklist
    /// The structured screening, every contraindication answered (and signed).
    case structured
}

/// What the session keeps of its intake screening: how it was done, what was answered present, and the
/// override that let intake go ahead despite it.
public struct ScreeningSummary: Hashable, Sendable, Codable {
    public var method: ScreeningMethod
    /// Contraindications answered present (only with `structured`).
    public var present: [Contraindication]
    /// The reason an operator gave to take the patient in despite `present`; nil when none was needed.
    public var overrideReason: String?

    public init(method: ScreeningMethod, present: [Contraindication], overrideReason: String?) {
        self.method = method
        self.present = present
        self.overrideReason = overrideReason
    }

    /// The summary of `request`'s screening (it passed ``ChairCore``'s screening check).
    public init(_ request: IntakeRequest) {
        guard let screening = request.screening else {
            self.init(method: .signedChecklist, present: [], overrideReason: nil)
            return
        }
        let present = screening.present
        self.init(method: .structured, present: present, overrideReason: present.isEmpty ? nil : request.screeningOverride?.reason)
    }
}
