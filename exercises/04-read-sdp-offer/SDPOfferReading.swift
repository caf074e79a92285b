// Exercise 04 — read an SDP offer.
//
// Open offer.sdp next to this file: a browser's offer for one DataChannel. Answer each
// question below as data, by replacing each `throw` with a `return`.
//   1. candidates(): every a=candidate line, in order: its type, IP address and port.
//   2. fingerprintHashFunction() and fingerprintValue(): the a=fingerprint attribute.
//   3. setupRole(): the a=setup attribute.
//   4. fallbackWhenUDPIsBlocked(): which candidate type ICE ends up using when the
//      peer's NAT or firewall lets no UDP through to this host.
// Check your answer with:  lab check 04
//
// RFC 8839 §5.1, the candidate attribute:
//
//   a=candidate:<foundation> <component-id> <transport> <priority>
//               <connection-address> <port> typ <cand-type>
//               [raddr <address> rport <port>] *(<extension-name> <extension-value>)
import ExerciseInterfaces

/// Your answers about offer.sdp.
public enum SDPOfferReading: SDPReadingExercise {
    /// Every candidate of the offer, in the order of its a=candidate lines. For example:
    /// `[CandidateReading(type: .host, ip: "10.0.0.1", port: 1234), /* ... */]`
    public static func candidates() throws -> [CandidateReading] {
        throw ExerciseError.notImplemented
    }

    /// The hash function named in a=fingerprint, e.g. `.sha1`.
    public static func fingerprintHashFunction() throws -> FingerprintHashFunction {
        throw ExerciseError.notImplemented
    }

    /// The fingerprint itself, copied from the offer: "AB:CD:...".
    public static func fingerprintValue() throws -> String {
        throw ExerciseError.notImplemented
    }

    /// The value of a=setup, e.g. `.active`.
    public static func setupRole() throws -> SetupRole {
        throw ExerciseError.notImplemented
    }

    /// The candidate type used when the peer's network blocks UDP, e.g. `.host`.
    public static func fallbackWhenUDPIsBlocked() throws -> CandidateKind {
        throw ExerciseError.notImplemented
    }
}
