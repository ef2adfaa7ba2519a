/// A scale a nurse scores the patient on at the chair: sedation (MOAA/S, RASS), nausea, dissociation
/// (CADSS-6), pain, depression outcome scores, and the recovery scores discharge reads (modified Aldrete,
/// PADSS). No monitor measures these; the nurse observes and records them with `observe`
/// (docs/CLINICAL-BASIS.md §8).
///
/// Decoding is lenient like the drug library's: an entry whose `id` names a built-in scale keeps the
/// built-in's value for every field it leaves out; a new id must give its `minimum` and `maximum`.
public struct ObservationScale: Hashable, Sendable, Codable {
    /// Short camelCase id operators score with ("moaas"); never renamed once records use it.
    public var id: String
    /// The scale's name for people.
    public var name: String
    /// The lowest and highest score; every score is a whole number in between.
    public var minimum: Int
    public var maximum: Int
    /// What each score (or band of scores) means, where the scale defines it; empty for a plain total.
    public var levels: [ObservationLevel]

    public init(id: String, name: String, minimum: Int, maximum: Int, levels: [ObservationLevel] = []) {
        self.id = id
        self.name = name
        self.minimum = minimum
        self.maximum = maximum
        self.levels = levels
    }

    /// Whether `value` is a score of this scale.
    public func accepts(_ value: Int) -> Bool { minimum <= value && value <= maximum }

    /// What `value` means on this scale, if the scale says.
    public func meaning(of value: Int) -> String? {
        levels.first { $0.lowest <= value && value <= $0.highest }?.meaning
    }

    enum CodingKeys: String, CodingKey {
        case id, name, minimum, maximum, levels
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let id = try c.decode(String.self, forKey: .id)
        self.id = id
        if let base = ObservationScale.builtIn(id: id) {
            name = try c.decode(.name, default: base.name)
            minimum = try c.decode(.minimum, default: base.minimum)
            maximum = try c.decode(.maximum, default: base.maximum)
            levels = try c.decode(.levels, default: base.levels)
        } else {
            // A clinic's own scale: its range cannot be guessed.
            name = try c.decode(.name, default: id)
            minimum = try c.decode(Int.self, forKey: .minimum)
            maximum = try c.decode(Int.self, forKey: .maximum)
            levels = try c.decode(.levels, default: [])
        }
    }

    /// The configured scales: the built-ins, each replaced by the first configured entry with its id, then
    /// every other configured entry in the order given (a second entry with an id already used stays, so
    /// the configuration check reports the duplicate). Built-ins are never dropped, so a clinic that adds
    /// one scale need not repeat the others, and a profile's schedule can always name them.
    static func merging(_ configured: [ObservationScale], over builtIns: [ObservationScale]) -> [ObservationScale] {
        var rest = configured
        let replaced = builtIns.map { builtIn in
            guard let index = rest.firstIndex(where: { $0.id == builtIn.id }) else { return builtIn }
            return rest.remove(at: index)
        }
        return replaced + rest
    }

    /// Problems that make the scale unusable.
    var inconsistencies: [String] {
        var problems: [String] = []
        if !id.contains(where: { !$0.isWhitespace }) { problems.append("an observation scale has an empty id") }
        if minimum > maximum { problems.append("observation scale \(id): minimum \(minimum) above maximum \(maximum)") }
        for level in levels where level.lowest > level.highest || !accepts(level.lowest) || !accepts(level.highest) {
            problems.append("observation scale \(id): level \(level.lowest)...\(level.highest) is outside \(minimum)...\(maximum)")
        }
        return problems
    }
}

/// What one score, or a band of scores, means on a scale: `{"value": 5, "meaning": "..."}` or
/// `{"from": 5, "to": 9, "meaning": "..."}`.
public struct ObservationLevel: Hashable, Sendable, Codable {
    public var lowest: Int
    public var highest: Int
    public var meaning: String

    /// One score's meaning.
    public init(_ value: Int, _ meaning: String) {
        self.init(from: value, to: value, meaning)
    }

    /// A band's meaning.
    public init(from lowest: Int, to highest: Int, _ meaning: String) {
        self.lowest = lowest
        self.highest = highest
        self.meaning = meaning
    }

    enum CodingKeys: String, CodingKey {
        case value, from, to, meaning
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        meaning = try c.decode(String.self, forKey: .meaning)
        if let value = try c.decodeIfPresent(Int.self, forKey: .value) {
            (lowest, highest) = (value, value)
        } else {
            lowest = try c.decode(Int.self, forKey: .from)
            highest = try c.decode(Int.self, forKey: .to)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if lowest == highest {
            try c.encode(lowest, forKey: .value)
        } else {
            try c.encode(lowest, forKey: .from)
            try c.encode(highest, forKey: .to)
        }
        try c.encode(meaning, forKey: .meaning)
    }
}
