import ExerciseHooks
import ExerciseInterfaces

/// --use-exercise: the steps after the run that say what exercises 09 and 12 did on the
/// real connection, and fail when they disagreed with the library (RFC 8489 §6.2.1 for
/// the transactions, usrsctp's deliveries for the receiver).
enum EchoExerciseSteps {
    /// The "transactions" step: the student's StunTransaction timed every STUN transaction of our ICE agent.
    static func reportTransactions(_ findings: TransactionExerciseFindings, lost: Int?, into result: inout EchoResult) {
        var detail: String
        if let problem = findings.problem {
            detail = "your StunTransaction: \(problem)"
        } else if let mismatch = findings.mismatches.first {
            detail = "your StunTransaction disagrees with RFC 8489 §6.2.1: \(mismatch)"
        } else if findings.transactions == 0 {
            detail = "your StunTransaction never ran (ICE sent no check)"
        } else {
            detail = "your StunTransaction ran \(findings.transactions) ICE transaction(s): \(findings.sends) send(s), "
                + "\(findings.retransmissions) retransmission(s), \(findings.completed) answered, \(findings.timedOut) gave up"
        }
        if let lost, lost > 0 { detail += "; \(lost) answer(s) lost on purpose (--drop-check-answers)" }
        append("transactions", ok: findings.agrees, detail: detail, into: &result)
    }

    /// The "stream receive" step: the channels got what the student's StreamReceive delivered.
    static func reportStreamReceive(_ findings: StreamReceiveExerciseFindings, into result: inout EchoResult) {
        let detail: String
        if let problem = findings.problem {
            detail = "your StreamReceive: \(problem)"
        } else if let mismatch = findings.mismatches.first {
            detail = "your StreamReceive: \(mismatch)"
        } else if findings.lostByStudent > 0, let first = findings.firstLost {
            detail = "your StreamReceive never delivered \(findings.lostByStudent) message(s) usrsctp delivered, "
                + "the first \(first) (so the channel never got it)"
        } else if findings.inventedByStudent > 0, let first = findings.firstInvented {
            detail = "your StreamReceive delivered \(findings.inventedByStudent) message(s) usrsctp did not, the first \(first)"
        } else if findings.fragments == 0 {
            detail = "your StreamReceive got no DATA chunk (the association never carried data)"
        } else {
            detail = "your StreamReceive put \(findings.fragments) DATA chunk(s)"
                + (findings.forwardTSNs > 0 ? " and \(findings.forwardTSNs) FORWARD-TSN(s)" : "")
                + " together into \(findings.delivered) message(s), the same as usrsctp's; the channels got yours"
        }
        append("stream receive", ok: findings.agrees, detail: detail, into: &result)
    }

    private static func append(_ step: String, ok: Bool, detail: String, into result: inout EchoResult) {
        result.steps.append(EchoStep(step: step, channel: nil, ok: ok, detail: detail, ms: 0))
        if !ok, result.error == nil {
            result.step = step
            result.error = detail
        }
    }
}
