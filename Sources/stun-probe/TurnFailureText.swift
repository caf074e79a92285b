import STUN
import Wire

/// Turns what went wrong in a `--turn` step into one line that says what it means
/// and what to check, with the exit code scripts can tell apart.
enum TurnFailureText {
    static func failure(_ failure: TURNFailure, context settings: TurnSettings, step: TurnStep) -> ProbeFailure {
        let code = failure.code.map { "\($0.rawValue) \($0.reasonPhrase ?? failure.reason)" } ?? ""
        switch failure.kind {
        case .wrongCredentials:
            return ProbeFailure(.errorResponse, "\(failure.operation) refused with \(code): the server could not verify "
                + "MESSAGE-INTEGRITY, keyed with MD5(username:realm:password), so the username \"\(settings.username)\" "
                + "or its password is wrong (a first 401 only asks for credentials; a 401 or 441 Wrong Credentials to a "
                + "signed request means they do not match)")
        case .timedOut:
            return ProbeFailure(.noResponse, "\(failure.operation): no answer after every retransmission "
                + "(RFC 8489 §6.2.1, \(settings.policy.maxTransmissions) sends); is a TURN server listening there, over UDP?")
        case .malformedResponse:
            return ProbeFailure(.malformedResponse, "\(failure.operation): the server's answer was unusable: \(failure.reason)")
        case .challengeLoop:
            return ProbeFailure(.errorResponse, "\(failure.operation): the server kept answering 401/438 with new nonces "
                + "(\(TURNClient.maximumChallenges) times in a row); giving up")
        case .allocationMismatch:
            return ProbeFailure(.errorResponse, "\(failure.operation) refused with \(code): the server already has "
                + "(or no longer has) an allocation for this client address and port")
        default:  // quota, capacity, forbidden, any other error response (or a lost stream connection)
            return ProbeFailure(.errorResponse, "\(failure.operation) refused with \(code)"
                + (failure.reason.isEmpty ? "" : " (\(failure.reason))"))
        }
    }

    /// A step that ended without its answer: a request whose cap (--timeout) ran out,
    /// or data the peer never echoed.
    static func silence(_ step: TurnStep, waited: Duration, settings: TurnSettings, peerIsOurs: Bool) -> ProbeFailure {
        let after = "after \(seconds(waited))"
        switch step {
        case .sendIndication, .channelData:
            let peer = peerIsOurs ? "the embedded echo peer" : "the peer (--peer must echo what it receives)"
            return ProbeFailure(.noResponse, "nothing came back through the relay \(after): \(peer) did not answer, or "
                + "the server did not relay (coturn drops loopback peers unless started with --allow-loopback-peers)")
        default:
            return ProbeFailure(.noResponse, "\(step.title): no answer \(after) (--timeout)")
        }
    }
}
