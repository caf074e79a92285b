// Exercise 05 — DTLS certificate fingerprints and roles (RFC 8122 §5, RFC 8842 §5, RFC 5763 §5).
//
// WebRTC encrypts with self-signed certificates: no CA vouches for them. What ties the
// DTLS handshake to the person you meant to call is the `a=fingerprint` line of the SDP,
// carried over the (trusted) signaling channel: a hash of the DER certificate the peer
// will present. The inputs here are plain strings, exactly as they appear in SDP, so the
// student's code must deal with the spellings real peers send (either hex case, either
// case of the hash name) and reject what the grammar does not allow.
//
// `dtls-handshake --use-exercise` runs the student's `fingerprint(der:algorithm:)` and
// `fingerprintsMatch` on the real peer certificate: keep these signatures as they are.

/// Exercise 05: write a certificate fingerprint the way SDP writes it, compare two of them,
/// and decide who starts the DTLS handshake.
///
/// Implemented by `Exercises.DTLSFingerprint` (exercises/05-dtls-fingerprint/DTLSFingerprint.swift)
/// and `Solutions.DTLSFingerprint`. Hash functions are provided by `ExerciseDigest`.
public protocol DTLSFingerprintExercise {
    /// The fingerprint of the certificate whose DER encoding is `der`, in SDP form:
    /// the hash function's registered name, one space, then the digest as upper-case hex
    /// pairs separated by colons (`"sha-256 AB:CD:…"`, RFC 8122 §5).
    ///
    /// `algorithm` is a hash function name as SDP spells it (`sha-1`, `sha-224`, `sha-256`,
    /// `sha-384`, `sha-512`), in either case; the result always uses the lower-case name.
    /// Returns nil for a name it does not know and for empty `der` (no certificate).
    static func fingerprint(der: [UInt8], algorithm: String) throws -> String?

    /// True when `a` and `b` are the same fingerprint (RFC 8122 §5, RFC 4572 §5): same hash
    /// function (name compared ignoring case), same bytes (hex compared ignoring case).
    ///
    /// Both must be well formed: `<hash-func> <hex pairs joined by ':'>`, a known hash
    /// function, and exactly as many bytes as that function's digest. Spaces, tabs and
    /// line ends around the whole value are ignored. Anything else never matches.
    static func fingerprintsMatch(_ a: String, _ b: String) throws -> Bool

    /// The DTLS role this endpoint takes, `"client"` (it sends the ClientHello) or `"server"`,
    /// given its own `a=setup` value and the peer's (`active`, `passive`, `actpass`, `holdconn`).
    ///
    /// Returns nil when the pair cannot start a handshake: both sides (or neither) wanting
    /// to be the client, `holdconn` on either side, `actpass` on both, or an unknown value.
    static func dtlsRole(localSetup: String, remoteSetup: String) throws -> String?
}
