// Checks of exercise 09: the STUN client transaction (RFC 8489 §6.2.1). Each check runs the
// student's transaction over scripted networks in virtual time (StunTransactionNetwork.swift)
// and compares what it did, send by send, with what the RFC's rules do over the same script
// (StunTransactionReference.swift). A failure shows the script, the expected and actual send
// times and ending, and names the classic mistake when it recognises one (waits that do not
// double, one request too many or too few, the final wait counted from the wrong RTO, a
// response taken for ours by a stranger's id, an answer consumed twice).
import ExerciseInterfaces

enum StunTransactionChecks {
    static let exerciseID = "09-stun-transaction"
    static let check = DescriptorMaker(exerciseID: exerciseID)

    static let scheduleRule = "RFC 8489 §6.2.1: over UDP the client sends the request, and if no response comes within RTO "
        + "(500 ms by default) sends it again, doubling the wait after each send: with RTO 500 ms the sends go out at 0, 500, "
        + "1500, 3500, 7500, 15500 and 31500 ms"
    static let giveUpRule = "RFC 8489 §6.2.1: requests are sent Rc times in all (default 7), the first included; if no response "
        + "has come Rm × RTO (default 16 × 500 ms) after the last one, the transaction has failed: 39500 ms after the first send"
    static let completionRule = "RFC 8489 §6.2.1, §6.3: a response ends the transaction and the retransmissions; every send "
        + "carries the same request (the same transaction id), so a response to any of them is the answer; once the "
        + "transaction is over, a duplicated or late response is ignored"
    static let matchRule = "RFC 8489 §6.3: the client matches a response to its transaction by the transaction id; a response "
        + "whose transaction id is not the request's belongs to someone else and is ignored"
    static let parametersRule = "RFC 8489 §6.2.1: RTO, Rc and Rm are parameters (RTO SHOULD be larger than the path's RTT, "
        + "Rc and Rm are configurable): sends at 0, RTO, 3 RTO, 7 RTO... until Rc requests are out, the end Rm × RTO after the last"
    static let timerRule = "Sans-IO timers: the caller may call tick(now:) before a deadline (it woke for another reason); "
        + "what is due is decided by comparing now with the deadline (RFC 8489 §6.2.1's schedule), not by the call itself"

    static let noLoss = check("no-loss.first-answer", points: 2,
                              title: "sends once and completes with the first answer when nothing is lost", rule: completionRule)
    static let firstLost = check("loss.first-requests", points: 3,
                                 title: "retransmits at 500, 1500, 3500 ms… while the first requests are lost, then completes",
                                 rule: scheduleRule)
    static let allLost = check("loss.give-up", points: 3,
                               title: "when everything is lost: exactly 7 sends, then gives up at 39500 ms", rule: giveUpRule)
    static let duplicated = check("duplicate.consumed-once", points: 2,
                                  title: "a duplicated answer completes the transaction once", rule: completionRule)
    static let lateAnswer = check("late-answer.ignored", points: 2,
                                  title: "an answer after the give-up is ignored; one just before it completes", rule: giveUpRule)
    static let wrongID = check("wrong-transaction-id.ignored", points: 2,
                               title: "a response with another transaction id is ignored", rule: matchRule)
    static let earlierAnswer = check("retransmission.earlier-answer", points: 2,
                                     title: "the answer to an earlier send completes it, whichever send it answers",
                                     rule: completionRule)
    static let customRTO = check("custom.rto", points: 2,
                                 title: "follows the configured RTO (20, 100, 1000 ms), doubling from it", rule: parametersRule)
    static let customCounts = check("custom.rc-rm", points: 2,
                                    title: "follows the configured Rc and Rm (3 and 4, 1 and 16, 9 and 2)", rule: parametersRule)
    static let earlyTicks = check("timers.early-tick", points: 1,
                                  title: "a tick before the deadline changes nothing", rule: timerRule)
    static let seeded = check("seeded.random-networks", points: 3,
                              title: "matches the RFC on \(StunTransactionScripts.seededCount) seeded random networks "
                                + "(loss, delay, duplication, strays, early ticks)", rule: parametersRule)

    static let descriptors = [noLoss, firstLost, allLost, duplicated, lateAnswer, wrongID, earlierAnswer, customRTO,
                              customCounts, earlyTicks, seeded]

    static func checks<Transaction: StunTransactionExercise>(_: Transaction.Type) -> [ExerciseCheck] {
        let scripts = StunTransactionScripts.self
        return [
            runs(Transaction.self, noLoss, scripts.noLoss),
            runs(Transaction.self, firstLost, scripts.firstLost),
            runs(Transaction.self, allLost, scripts.allLost),
            runs(Transaction.self, duplicated, scripts.duplicated),
            runs(Transaction.self, lateAnswer, scripts.lateAnswer),
            runs(Transaction.self, wrongID, scripts.wrongID),
            runs(Transaction.self, earlierAnswer, scripts.earlierAnswer),
            runs(Transaction.self, customRTO, scripts.customRTO),
            runs(Transaction.self, customCounts, scripts.customCounts),
            runs(Transaction.self, earlyTicks, scripts.earlyTicks),
            ExerciseCheck(seeded) {
                for seed in 1...UInt64(scripts.seededCount) {
                    if let failure = compare(Transaction.self, scripts.seeded(seed), rule: seeded.rule) { return .fail(failure) }
                }
                return .pass
            },
        ]
    }

    /// A check that runs every script and fails on the first whose run differs from the reference's.
    static func runs<Transaction: StunTransactionExercise>(
        _: Transaction.Type, _ descriptor: CheckDescriptor, _ scripts: [StunNetworkScript]
    ) -> ExerciseCheck {
        ExerciseCheck(descriptor) {
            for script in scripts {
                if let failure = compare(Transaction.self, script, rule: descriptor.rule) { return .fail(failure) }
            }
            return .pass
        }
    }

    /// nil when `Transaction` does over `script` exactly what the reference does; else the failure.
    static func compare<Transaction: StunTransactionExercise>(
        _: Transaction.Type, _ script: StunNetworkScript, rule: String
    ) -> CheckFailure? {
        let expected = StunNetwork.run(StunTransactionReference.self, script)
        let actual = StunNetwork.run(Transaction.self, script)
        guard actual != expected else { return nil }
        let input = "\(Transaction.self)(request: a 20-byte Binding request, transactionID: "
            + Describe.hex(StunNetwork.transactionID) + ", configuration: \(script.configuration)), driven in virtual "
            + "time over a network where " + script.summary + ": start(now: 0), then tick(now:) at each nextDeadline and "
            + "receive(_:now:) for each response as it arrives"
        let note = diagnosis(expected: expected, actual: actual, configuration: script.configuration)
        return CheckFailure(input: input, expected: render(expected), actual: render(actual) + (note.map { " (\($0))" } ?? ""),
                            rule: rule)
    }

    // MARK: - Rendering a run

    /// "sends at 0, 500, 1500 ms (3 requests); completed at 1540 ms with the answer to send #3".
    static func render(_ events: [StunTraceEvent]) -> String {
        var parts: [String] = []
        var sends: [Int] = []
        var foreign = 0
        func flush() {
            guard !sends.isEmpty else { return }
            let list = sends.map(String.init).joined(separator: ", ")
            parts.append((sends.count == 1 ? "send at " : "sends at ") + list + " ms"
                         + (sends.count > 1 ? " (\(sends.count) requests)" : ""))
            sends = []
        }
        for event in events {
            switch event {
            case let .send(at, isRequest):
                sends.append(at)
                if !isRequest { foreign += 1 }
            case let .completed(at, answer):
                flush()
                parts.append("completed at \(at) ms with \(answer)")
            case let .timedOut(at):
                flush()
                parts.append("timed out at \(at) ms")
            case let .threw(call, error):
                flush()
                parts.append("\(call) " + error)
            case let .stuck(why):
                flush()
                parts.append(why)
            }
        }
        flush()
        if foreign > 0 { parts.append("\(foreign) of the sends were not the request's bytes") }
        if !events.contains(where: { if case .completed = $0 { return true }; if case .timedOut = $0 { return true }; return false }),
           !events.contains(where: { if case .threw = $0 { return true }; if case .stuck = $0 { return true }; return false }) {
            parts.append("never completed nor timed out")
        }
        return parts.isEmpty ? "nothing at all" : parts.joined(separator: "; ")
    }

    // MARK: - Naming the mistake

    static func sendTimes(_ events: [StunTraceEvent]) -> [Int] {
        events.compactMap { if case let .send(at, _) = $0 { return at } else { return nil } }
    }

    static func endings(_ events: [StunTraceEvent]) -> [StunTraceEvent] {
        events.filter { if case .completed = $0 { return true }; if case .timedOut = $0 { return true }; return false }
    }

    /// The classic mistake behind a difference, when one is recognisable.
    static func diagnosis(expected: [StunTraceEvent], actual: [StunTraceEvent],
                          configuration: StunTransactionConfiguration) -> String? {
        if actual.contains(where: { if case .threw = $0 { return true } else { return false } }) { return nil }
        if actual.contains(where: { if case let .send(_, isRequest) = $0 { return !isRequest } else { return false } }) {
            return "a retransmission is the same request, byte for byte: send the bytes given to init"
        }
        let want = sendTimes(expected), got = sendTimes(actual)
        let rto = configuration.rtoMilliseconds
        if got.count >= 3, zip(got, got.dropFirst()).allSatisfy({ $1 - $0 == rto }), want.count >= 3 {
            return "every wait was \(rto) ms: the wait doubles after each send (RTO, 2 RTO, 4 RTO…)"
        }
        let actualEnds = endings(actual), expectedEnds = endings(expected)
        if actualEnds.count > 1 {
            return "the transaction ended \(actualEnds.count) times: once it is over, every later response is ignored"
        }
        if case let .completed(_, answer)? = actualEnds.first, answer.hasPrefix("the stray") {
            return "that response carries another transaction id: compare the whole 12-byte id with yours"
        }
        if case .timedOut? = expectedEnds.first, want.count == configuration.maxRequests, got.count != want.count {
            return got.count > want.count
                ? "\(got.count) requests: Rc = \(configuration.maxRequests) counts every request, the first included"
                : "\(got.count) requests: Rc = \(configuration.maxRequests) requests go out before the final wait"
        }
        if case let .timedOut(expectedAt)? = expectedEnds.first, case let .timedOut(actualAt)? = actualEnds.first,
           got == want, let last = want.last {
            let waited = actualAt - last
            if waited != configuration.finalWaitMultiplier * rto {
                return "the final wait was \(waited) ms after the last send; it is Rm × RTO = \(configuration.finalWaitMultiplier) "
                    + "× \(rto) = \(configuration.finalWaitMultiplier * rto) ms, with the initial RTO (expected at \(expectedAt) ms)"
            }
        }
        if case .completed? = expectedEnds.first, actualEnds.isEmpty || { if case .timedOut = actualEnds[0] { return true } else { return false } }() {
            return "a response with our id arrived while the transaction was still waiting: it must complete it"
        }
        if got.count > want.count, case .completed? = expectedEnds.first {
            return "sent again after the answer: a response stops the retransmissions"
        }
        return nil
    }
}
