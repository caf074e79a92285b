import Wire

/// The 96-bit STUN transaction id (RFC 8489 §5, §6).
///
/// It pairs a response with its request, and retransmissions of a request
/// carry the same id. It must be drawn from a good random source (§6): an
/// off-path attacker who can guess it can forge responses. Randomness is
/// injected, so tests use a seeded generator and drivers the system one.
public struct TransactionID: Hashable, Sendable, CustomStringConvertible {
    /// The 12 bytes, in wire order.
    public let bytes: [UInt8]

    /// The id's size on the wire.
    public static let size = 12

    /// Creates an id from exactly 12 bytes; other sizes are API misuse.
    public init(bytes: [UInt8]) throws {
        guard bytes.count == Self.size else {
            throw STUNError(.invalidArgument, "a transaction id is 12 bytes, got \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// Creates an id from 12 bytes already known to be 12 (internal fast path).
    init(checked bytes: [UInt8]) { self.bytes = bytes }

    /// Draws a fresh random id from `generator`.
    public init(using generator: inout some RandomNumberGenerator) {
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        var out = [UInt8]()
        out.reserveCapacity(Self.size)
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 32, by: -8) { out.append(UInt8(truncatingIfNeeded: low >> UInt64(shift))) }
        self.bytes = out
    }

    /// Draws a fresh random id from `generator` (same as `init(using:)`).
    public static func random(using generator: inout some RandomNumberGenerator) -> TransactionID {
        TransactionID(using: &generator)
    }

    /// 24 lower-case hex digits.
    public var description: String { Hex.encode(bytes) }
}
