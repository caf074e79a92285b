import Wire

/// --loss: drops datagrams at random, driver-side (the DTLS layer never knows),
/// seeded by --seed so a lossy run can be repeated. One model is shared by both
/// endpoints of a loopback run, so the sequence of drops depends only on the
/// order of datagrams.
final class LossModel {
    let probability: Double
    private var generator: SplitMix64
    /// How many datagrams were dropped so far.
    private(set) var dropped = 0

    init(probability: Double, seed: UInt64) {
        self.probability = probability
        self.generator = SplitMix64(seed: seed)
    }

    /// Decides the fate of the next datagram. No randomness is drawn without loss.
    func drop() -> Bool {
        guard probability > 0 else { return false }
        let lost = generator.chance(probability)
        if lost { dropped += 1 }
        return lost
    }
}
