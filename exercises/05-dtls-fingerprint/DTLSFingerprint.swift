// Exercise 05 — DTLS certificate fingerprints and roles (RFC 8122, RFC 8842, RFC 5763).
//
// Your task (details and hints in README.md next to this file):
//   1. fingerprint(der:algorithm:): hash the certificate's DER bytes and write the digest
//      the way an a=fingerprint line does. Use ExerciseDigest.hash(.sha256, der) and friends:
//      the hash functions are given, the SDP form is your job.
//   2. fingerprintsMatch: decide whether two a=fingerprint values name the same certificate.
//   3. dtlsRole: from both sides' a=setup values, say who sends the ClientHello.
// Check your answer with:  lab check 05
//
// RFC 8122 §5, the attribute and its grammar:
//
//   a=fingerprint:sha-256 6B:8B:5D:EA:59:04:20:23:29:C8:87:1C:CD:87:32:BE:...:28:16
//                 ^^^^^^^ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//                 hash-func SP fingerprint
//
//   hash-func   = "sha-1" / "sha-224" / "sha-256" / "sha-384" / "sha-512" / ...
//   fingerprint = 2UHEX *(":" 2UHEX)      ; each byte as two hex digits, colons between
//   UHEX        = DIGIT / %x41-46         ; A-F upper case
//
// RFC 4145 §4 / RFC 8842 §5, who connects:  active = DTLS client, passive = DTLS server,
// actpass = "either, you choose" (offers only), holdconn = "not now".
import ExerciseInterfaces

/// Certificate fingerprints in SDP form, their comparison, and the DTLS role from `a=setup`.
public enum DTLSFingerprint: DTLSFingerprintExercise {
    /// The fingerprint of the DER certificate `der` under `algorithm`, as "sha-256 AB:CD:…"; nil when impossible.
    public static func fingerprint(der: [UInt8], algorithm: String) throws -> String? {
        throw ExerciseError.notImplemented
    }

    /// True when the two `a=fingerprint` values name the same hash function and the same bytes.
    public static func fingerprintsMatch(_ a: String, _ b: String) throws -> Bool {
        throw ExerciseError.notImplemented
    }

    /// "client" or "server" for this side, from both `a=setup` values; nil when they cannot work together.
    public static func dtlsRole(localSetup: String, remoteSetup: String) throws -> String? {
        throw ExerciseError.notImplemented
    }
}
