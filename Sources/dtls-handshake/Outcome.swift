import DTLS

/// How a run ended, as an exit code and (for a failure) one line saying why.
enum Outcome {
    static func judge(_ conversations: [Conversation], log: FlightLog) -> (exit: HandshakeExit, error: String?) {
        var worst: (exit: HandshakeExit, error: String)?
        func consider(_ exit: HandshakeExit, _ error: String) {
            if worst == nil || exit.precedence > worst!.exit.precedence { worst = (exit, error) }
        }
        for conversation in conversations {
            let state = conversation.state
            if conversation.exerciseDisagreed {
                consider(.exerciseFailure, "--use-exercise: \(state.studentVerdict ?? "your code disagrees with the library")")
            }
            if let failure = state.failure {
                consider(HandshakeExit.forFailure(failure), "\(state.name): \(failure.reason)")
            } else if state.connection == nil {
                consider(.noAnswer, "\(state.name): no handshake within --timeout (\(conversation.endpoint.dtls?.retransmissionCount ?? 0) retransmission(s))")
            } else if conversation.isClient, conversation.echoedAt == nil {
                consider(.noAnswer, "client: the message was sent \(conversation.sendAttempts) time(s) but never echoed")
            }
        }
        guard let worst else { return (.success, nil) }
        return (worst.exit, worst.error)
    }
}
