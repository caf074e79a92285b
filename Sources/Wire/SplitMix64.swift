/// A small, fast, seedable random number generator (SplitMix64).
///
/// Randomness is injected everywhere (transaction ids, loss decisions, jitter)
/// so that a test or a simulation run is reproduced exactly by its seed. Not
/// for cryptographic use: drivers inject `SystemRandomNumberGenerator` in
/// production.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator whose whole output is determined by `seed`.
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SplitMix64 {
    /// A uniform double in [0, 1) from the top 53 bits (stable across Swift versions,
    /// unlike `Double.random(in:using:)` whose algorithm is an implementation detail,
    /// so a seeded loss pattern stays the same wherever it is drawn).
    public mutating func unitInterval() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// True with probability `probability` (draws nothing when it is 1 or more).
    public mutating func chance(_ probability: Double) -> Bool {
        probability >= 1 || unitInterval() < probability
    }
}
