// Exercise 02 — STUN coding (RFC 8489): build a Binding request and decode
// XOR-MAPPED-ADDRESS, the two pieces of STUN a client needs to learn its public address.

/// A transport address decoded from a (XOR-)MAPPED-ADDRESS attribute value.
public struct DecodedAddress: Equatable, Sendable {
    /// Address family as carried on the wire: 0x01 IPv4, 0x02 IPv6 (RFC 8489 §14.1).
    public var family: UInt8
    /// The port, already un-XORed, in host order.
    public var port: UInt16
    /// The address, already un-XORed: 4 bytes for IPv4, 16 bytes for IPv6, network order.
    public var address: [UInt8]

    /// Creates a decoded address from its three fields.
    public init(family: UInt8, port: UInt16, address: [UInt8]) {
        self.family = family
        self.port = port
        self.address = address
    }
}

/// Exercise 02: the student's STUN encoder and decoder.
///
/// Implemented by `Exercises.STUNCoding` (exercises/02-stun-coding/STUNCoding.swift) and
/// `Solutions.STUNCoding`; `stun-probe --use-exercise` decodes real answers with the
/// student's `decodeXORMappedAddress`.
public protocol STUNCodingExercise {
    /// A 20-byte STUN Binding request (no attributes) with this 12-byte transaction id.
    static func encodeBindingRequest(transactionID: [UInt8]) throws -> [UInt8]
    /// Decodes the VALUE of an XOR-MAPPED-ADDRESS attribute (the bytes after its 4-byte type/length header).
    static func decodeXORMappedAddress(_ value: [UInt8], transactionID: [UInt8]) throws -> DecodedAddress
}
