// Exercise 04 — read an SDP offer (reference answer).
//
// Same file name, type name and public surface as exercises/04-read-sdp-offer/SDPOfferReading.swift.
import ExerciseInterfaces

/// Your answers about offer.sdp.
public enum SDPOfferReading: SDPReadingExercise {
    /// The four a=candidate lines, in order. The connection address and port are the 5th and
    /// 6th fields; `raddr`/`rport` on the srflx and relay lines are only the base they were
    /// derived from (RFC 8839 §5.1), not where the peer should send.
    public static func candidates() throws -> [CandidateReading] {
        [
            CandidateReading(type: .host, ip: "2001:db8:7::23", port: 54322),
            CandidateReading(type: .host, ip: "192.168.1.23", port: 54321),
            CandidateReading(type: .serverReflexive, ip: "203.0.113.7", port: 61002),
            CandidateReading(type: .relay, ip: "198.51.100.30", port: 49200),
        ]
    }

    /// a=fingerprint:sha-256 …: the hash of the offerer's self-signed DTLS certificate (RFC 8122 §5).
    public static func fingerprintHashFunction() throws -> FingerprintHashFunction {
        .sha256
    }

    /// The 32 bytes of a SHA-256 digest, as upper-case hex pairs separated by colons.
    public static func fingerprintValue() throws -> String {
        "5B:0E:8C:21:F4:77:3A:D9:10:6E:B2:4C:E8:93:51:AF:07:C6:2D:9B:E1:48:35:7F:A2:0C:DB:66:19:F3:8E:44"
    }

    /// A browser's offer always says actpass (JSEP, RFC 9429 §5.2.1): the offerer can be either
    /// DTLS client or server, and the answerer picks active or passive (RFC 8842 §5.3).
    public static func setupRole() throws -> SetupRole {
        .actpass
    }

    /// Host and server-reflexive paths both need UDP to reach the peer directly; a relay
    /// candidate does not, because the TURN server can be reached over TCP or TLS and
    /// forwards the traffic (RFC 8656 §3.1, RFC 8445 §5.1.1.2).
    public static func fallbackWhenUDPIsBlocked() throws -> CandidateKind {
        .relay
    }
}
