/// The versioned set of drug entries the core programs against. No infusion is ever programmed
/// without an entry from here (docs/CLINICAL-BASIS.md §2.3 design implication 2).
///
/// Decoding keeps cited defaults for whatever the JSON leaves out: a missing `profiles` list means the
/// built-ins, and each listed profile overrides its built-in namesake field by field (see `DrugProfile`).
public struct DrugLibrary: Hashable, Sendable, Codable {
    /// Version string the clinic assigns; recorded with every session and limit event.
    public var version: String
    public var profiles: [DrugProfile]

    public init(version: String, profiles: [DrugProfile]) {
        self.version = version
        self.profiles = profiles
    }

    /// The built-in library with the cited defaults.
    public static let builtIn = DrugLibrary(version: "builtin-1", profiles: DrugProfile.builtIns)

    enum CodingKeys: String, CodingKey {
        case version, profiles
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(.version, default: Self.builtIn.version)
        profiles = try c.decode(.profiles, default: Self.builtIn.profiles)
    }

    /// The entry programmed as `id`, or nil when the library has none.
    public func profile(id: String) -> DrugProfile? {
        profiles.first { $0.id == id }
    }

    /// Problems that make the library unusable: duplicate ids or inconsistent entries.
    public var inconsistencies: [String] {
        var problems = profiles.flatMap(\.inconsistencies)
        var seen: Set<String> = []
        for profile in profiles where !seen.insert(profile.id).inserted {
            problems.append("duplicate profile id \(profile.id)")
        }
        if profiles.isEmpty { problems.append("library has no profiles") }
        return problems
    }
}
