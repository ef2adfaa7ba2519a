#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// SplitMix64: a small, fast generator whose whole sequence follows from its seed, so a simulated
/// patient (and its noise) is the same in every run with the same seed.
public struct SeededRandomGenerator: RandomNumberGenerator, Hashable, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    /// A normally distributed value with mean 0 and standard deviation `deviation` (Box–Muller).
    public mutating func gaussian(deviation: Double) -> Double {
        guard deviation > 0, deviation.isFinite else { return 0 }
        let uniform = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &self)
        let angle = Double.random(in: 0..<(2 * Double.pi), using: &self)
        return deviation * (-2 * log(uniform)).squareRoot() * cos(angle)
    }
}
