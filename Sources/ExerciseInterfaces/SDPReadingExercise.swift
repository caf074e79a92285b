// Exercise 04 — read an SDP offer (RFC 8866, RFC 8839, RFC 8122, RFC 8842).
//
// The answers are data chosen from closed vocabularies (enums) where the RFCs define a
// closed set, and plain text where the student copies a value out of the offer (an IP
// address, the fingerprint), so grading is exact and the checks can say which part of
// an answer is wrong without printing the right one.

/// One `a=candidate` line of an offer, as the student read it.
public struct CandidateReading: Equatable, Sendable {
    /// The candidate type, the word after `typ`.
    public var type: CandidateKind
    /// The connection address, exactly as written in the line (IPv4 or IPv6 text).
    public var ip: String
    /// The port that follows the connection address.
    public var port: Int

    /// Creates a reading of one candidate line.
    public init(type: CandidateKind, ip: String, port: Int) {
        self.type = type
        self.ip = ip
        self.port = port
    }
}

/// Hash functions an `a=fingerprint` attribute may name (RFC 8122 §5, IANA "Hash Function Textual Names").
public enum FingerprintHashFunction: String, CaseIterable, Codable, Sendable {
    /// MD5 (obsolete for fingerprints).
    case md5 = "md5"
    /// SHA-1 (obsolete for fingerprints).
    case sha1 = "sha-1"
    /// SHA-224.
    case sha224 = "sha-224"
    /// SHA-256.
    case sha256 = "sha-256"
    /// SHA-384.
    case sha384 = "sha-384"
    /// SHA-512.
    case sha512 = "sha-512"
}

/// Values of the `a=setup` attribute (RFC 4145 §4, used for DTLS by RFC 8842 §5).
public enum SetupRole: String, CaseIterable, Codable, Sendable {
    /// This endpoint will initiate the DTLS handshake (be the DTLS client).
    case active
    /// This endpoint will wait for the peer to initiate (be the DTLS server).
    case passive
    /// This endpoint can take either role and lets the answerer choose.
    case actpass
    /// This endpoint does not want a connection now.
    case holdconn
}

/// Exercise 04: answers about the offer in exercises/04-read-sdp-offer/offer.sdp.
///
/// Implemented by `Exercises.SDPOfferReading` (exercises/04-read-sdp-offer/SDPOfferReading.swift)
/// and `Solutions.SDPOfferReading`.
public protocol SDPReadingExercise {
    /// Every `a=candidate` line of the offer, in the order they appear.
    static func candidates() throws -> [CandidateReading]
    /// The hash function named by the offer's `a=fingerprint` attribute.
    static func fingerprintHashFunction() throws -> FingerprintHashFunction
    /// The fingerprint value itself: the colon-separated hex bytes after the hash function's name.
    static func fingerprintValue() throws -> String
    /// The offer's `a=setup` value.
    static func setupRole() throws -> SetupRole
    /// The candidate type ICE ends up using when the peer's NAT or firewall blocks every UDP path between the two.
    static func fallbackWhenUDPIsBlocked() throws -> CandidateKind
}
