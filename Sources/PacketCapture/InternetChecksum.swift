/// The Internet checksum (RFC 1071): the 16-bit one's complement of the one's
/// complement sum of the data taken as big-endian 16-bit words.
///
/// IPv4 headers and UDP (over IPv4 and IPv6) use it. Its useful property for a
/// verifier: summing data that already contains a correct checksum gives 0xFFFF,
/// so `checksum(...) == 0` means "valid".
public struct InternetChecksum: Sendable {
    private var sum: UInt32 = 0
    private var pendingByte: UInt8?

    /// Starts an empty sum.
    public init() {}

    /// Adds bytes; an odd byte left over is paired with the next call's first
    /// byte, so data may be fed in pieces (pseudo-header, header, payload).
    public mutating func add<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        for byte in bytes {
            if let high = pendingByte {
                sum &+= UInt32(high) << 8 | UInt32(byte)
                pendingByte = nil
                // Fold early so the 32-bit accumulator never overflows on jumbo input.
                if sum > 0xFFFF_0000 { sum = (sum & 0xFFFF) + (sum >> 16) }
            } else {
                pendingByte = byte
            }
        }
    }

    /// Adds a 16-bit word.
    public mutating func add(_ word: UInt16) { add([UInt8(word >> 8), UInt8(word & 0xFF)]) }

    /// The checksum of everything added (an odd final byte is padded with zero).
    public var value: UInt16 {
        var total = sum
        if let high = pendingByte { total &+= UInt32(high) << 8 }
        while total > 0xFFFF { total = (total & 0xFFFF) + (total >> 16) }
        return ~UInt16(total)
    }

    /// One-shot checksum of `bytes`.
    public static func compute<S: Sequence>(_ bytes: S) -> UInt16 where S.Element == UInt8 {
        var checksum = InternetChecksum()
        checksum.add(bytes)
        return checksum.value
    }
}
