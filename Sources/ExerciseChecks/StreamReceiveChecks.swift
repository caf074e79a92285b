// Checks of exercise 12: the receive side of SCTP streams (RFC 9260 §6.2, §6.5, §6.6,
// §6.9; RFC 3758 §3.6). This file declares every check; the scenarios come from
// StreamReceiveScenarios.swift (seeded) and StreamReceiveHandWritten.swift, and
// StreamReceiveVerdict.swift feeds them to the student's receiver and the model side by
// side. A failure names the seed, the inputs up to the first step where the two answers
// part (in short form: `{tsn sS#ssn BEu "payload"}`, `FWD(cum T; sS#ssn)`), the messages
// expected and delivered at that step, and the rule.
import ExerciseInterfaces

enum StreamReceiveChecks {
    static let exerciseID = "12-stream-receive"
    static let check = DescriptorMaker(exerciseID: exerciseID)

    static let wholeRule = "RFC 9260 §6.5-6.6: a DATA chunk with both B and E set is a whole message; on an ordered stream "
        + "it is delivered when its Stream Sequence Number is the next one expected (0 first), on an unordered one (U set) at once"
    static let reassemblyRule = "RFC 9260 §6.9: the fragments of a message have consecutive TSNs, the first marked B and the "
        + "last E; the receiver holds them, whatever order they arrive in, until every TSN from B to E is there, then delivers "
        + "their payloads joined in TSN order, once"
    static let orderedRule = "RFC 9260 §6.5-6.6: an ordered stream delivers its messages in SSN order: a message whose SSN is "
        + "not the next one waits, and when the gap fills every waiting message that follows is delivered at once"
    static let unorderedRule = "RFC 9260 §6.6: a message with the U flag is delivered as soon as it is whole, without waiting "
        + "for earlier TSNs or SSNs, and no gap on one stream holds back another stream"
    static let duplicateRule = "RFC 9260 §6.2: a DATA chunk whose TSN is at or below the cumulative TSN, or was already "
        + "received above it (even if its message was delivered), is a duplicate: it is dropped and delivers nothing"
    static let serialRule = "RFC 9260 §1.6 and RFC 1982: TSNs are 32-bit and SSNs 16-bit serial numbers; after 4294967295 "
        + "comes 0 (after 65535 comes 0), so \"after\" means (a - b) mod 2^n is between 1 and 2^(n-1) - 1"
    static let forwardRule = "RFC 3758 §3.6: on a FORWARD-TSN the receiver moves its cumulative TSN to the New Cumulative TSN "
        + "(and on over what it already holds beyond), drops the fragments of incomplete messages up to the New Cumulative TSN "
        + "(not those beyond it: they may still complete), and for each "
        + "(stream, SSN) entry delivers the messages waiting on that ordered stream up to that SSN and then expects SSN + 1, "
        + "so the messages after an abandoned one are not blocked; a FORWARD-TSN at or below the cumulative TSN changes nothing"
    static let cumulativeRule = "RFC 9260 §6.2 and §3.3.4: the cumulative TSN (what a SACK acknowledges) is the last TSN up to "
        + "which every TSN arrived; it starts at the Initial TSN - 1 and also moves with a FORWARD-TSN (RFC 3758 §3.6)"
    static let limitsRule = "RFC 9260 §6.2: a receiver has a bounded buffer: it refuses a chunk more than its window ahead of "
        + "the cumulative TSN, or one that would hold more bytes than its buffer, without changing anything (the sender "
        + "sends it again), but always takes the chunk right after the cumulative TSN, which lets it move on"

    static let whole = check("whole-messages", points: 2,
                             title: "delivers unfragmented messages: ordered ones in SSN order, unordered ones at once", rule: wholeRule)
    static let reassembly = check("reassembly", points: 3,
                                  title: "reassembles a message from its fragments in every arrival order", rule: reassemblyRule)
    static let ordered = check("ordered-reordering", points: 3,
                               title: "ordered stream under seeded reordering: SSN order, each message as soon as it can go",
                               rule: orderedRule)
    static let unordered = check("unordered-reordering", points: 3,
                                 title: "unordered stream under seeded reordering: each message as soon as it is whole",
                                 rule: unorderedRule)
    static let duplicates = check("duplicates", points: 3,
                                  title: "drops duplicated fragments, also those of messages already delivered", rule: duplicateRule)
    static let interleaved = check("interleaved-streams", points: 3,
                                   title: "several ordered and unordered streams interleaved: a gap on one holds back no other",
                                   rule: unorderedRule)
    static let tsnWrap = check("tsn-wraparound", points: 3,
                               title: "TSNs that wrap from 4294967295 to 0 mid-message and mid-stream", rule: serialRule)
    static let ssnWrap = check("ssn-wraparound", points: 2,
                               title: "an ordered stream past SSN 65535: 0 comes next", rule: serialRule)
    static let forwardUnordered = check("forward-tsn-unordered", points: 3,
                                        title: "FORWARD-TSN drops abandoned partial messages and the late fragments of them",
                                        rule: forwardRule)
    static let forwardOrdered = check("forward-tsn-ordered", points: 3,
                                      title: "FORWARD-TSN's stream/SSN entries unblock ordered streams behind abandoned messages",
                                      rule: forwardRule)
    static let forwardStale = check("forward-tsn-stale", points: 2,
                                    title: "a FORWARD-TSN at or below the cumulative TSN, or naming a past SSN, changes nothing",
                                    rule: forwardRule)
    static let cumulative = check("cumulative-tsn", points: 2,
                                  title: "cumulativeTSN is right after every input, across gaps, wrap-around and FORWARD-TSN",
                                  rule: cumulativeRule)
    static let limits = check("limits", points: 3,
                              title: "refuses with StreamReceiveError past the window or the buffer, state unchanged",
                              rule: limitsRule)
    static let mix = check("seeded-mix", points: 4,
                           title: "100 seeds of everything at once: 4 streams, reordering, duplicates, loss and FORWARD-TSN, wrap",
                           rule: "RFC 9260 §6.2, §6.5, §6.6, §6.9 and RFC 3758 §3.6 together (see the other checks' rules)")

    static let descriptors = [whole, reassembly, ordered, unordered, duplicates, interleaved, tsnWrap, ssnWrap,
                              forwardUnordered, forwardOrdered, forwardStale, cumulative, limits, mix]

    static func checks<Receiver: StreamReceiveExercise>(_: Receiver.Type) -> [ExerciseCheck] {
        descriptors.map { descriptor in
            ExerciseCheck(descriptor) {
                for scenario in scenarios(for: descriptor) {
                    if let failure = StreamReceiveVerdict.run(Receiver.self, scenario, rule: descriptor.rule) {
                        return .fail(failure)
                    }
                }
                return .pass
            }
        }
    }

    /// The scenarios of one check, built when the check runs (seeded: the same every time).
    static func scenarios(for descriptor: CheckDescriptor) -> [StreamReceiveScenario] {
        typealias Plan = StreamReceivePlan
        let ordered1 = [(id: UInt16(1), unordered: false, partiallyReliable: false)]
        let unordered2 = [(id: UInt16(2), unordered: true, partiallyReliable: false)]
        let four: [(id: UInt16, unordered: Bool, partiallyReliable: Bool)] =
            [(0, false, false), (1, true, false), (2, false, true), (3, true, true)]
        func seeded(_ plan: Plan, seeds: ClosedRange<UInt64>, cumulative: Bool = false) -> [StreamReceiveScenario] {
            seeds.map { seed in
                StreamReceiveScenario(name: "seed \(seed)", initialTSN: plan.initialTSN, inputs: plan.inputs(seed: seed),
                                      checksCumulativeTSN: cumulative)
            }
        }
        switch descriptor {
        case whole:
            return StreamReceiveHandWritten.whole
                + seeded(Plan(streams: ordered1 + unordered2, messages: 20, initialTSN: 1000), seeds: 1...3, cumulative: true)
        case reassembly:
            return StreamReceiveHandWritten.permutations
                + seeded(Plan(streams: ordered1 + unordered2, messages: 20, maxFragments: 5, initialTSN: 7), seeds: 1...5)
        case ordered:
            return seeded(Plan(streams: ordered1, messages: 30, maxFragments: 4, initialTSN: 500, reorderWindow: 6), seeds: 1...20)
        case unordered:
            return seeded(Plan(streams: unordered2, messages: 30, maxFragments: 4, initialTSN: 500, reorderWindow: 6), seeds: 1...20)
        case duplicates:
            return StreamReceiveHandWritten.duplicates
                + seeded(Plan(streams: ordered1 + unordered2, messages: 30, maxFragments: 3, initialTSN: 90,
                              reorderWindow: 4, duplication: 0.3), seeds: 1...20)
        case interleaved:
            return seeded(Plan(streams: four.map { ($0.id, $0.unordered, false) }, messages: 40, maxFragments: 3,
                               initialTSN: 3000, reorderWindow: 8), seeds: 1...20)
        case tsnWrap:
            return StreamReceiveHandWritten.tsnWrap
                + (UInt64(1)...20).map { seed in
                    let plan = Plan(streams: four.map { ($0.id, $0.unordered, false) }, messages: 30, maxFragments: 4,
                                    initialTSN: UInt32.max - UInt32(seed % 7) * 5, reorderWindow: 6, duplication: 0.1)
                    return StreamReceiveScenario(name: "seed \(seed)", initialTSN: plan.initialTSN, inputs: plan.inputs(seed: seed),
                                                 checksCumulativeTSN: true)
                }
        case ssnWrap:
            return [StreamReceiveHandWritten.ssnWrap(seed: 1)]
        case forwardUnordered:
            return StreamReceiveHandWritten.forwardUnordered
                + seeded(Plan(streams: [(4, true, true)], messages: 30, maxFragments: 4, initialTSN: 40, reorderWindow: 5,
                               abandonment: 0.3), seeds: 1...20)
                + seeded(Plan(streams: [(4, true, true)], messages: 30, maxFragments: 4, initialTSN: 40, reorderWindow: 5,
                              duplication: 0.2, abandonment: 0.3), seeds: 21...30)
        case forwardOrdered:
            return StreamReceiveHandWritten.forwardOrdered
                + seeded(Plan(streams: [(5, false, true)], messages: 30, maxFragments: 3, initialTSN: 40, reorderWindow: 5,
                              abandonment: 0.3), seeds: 1...20)
                + seeded(Plan(streams: [(5, false, true), (6, false, true), (7, false, false)], messages: 40, maxFragments: 3,
                              initialTSN: 40, reorderWindow: 5, abandonment: 0.3), seeds: 21...30)
        case forwardStale:
            return StreamReceiveHandWritten.stale
                + seeded(Plan(streams: [(5, false, true), (4, true, true)], messages: 30, maxFragments: 3, initialTSN: 40,
                              reorderWindow: 5, abandonment: 0.3, staleForwardRate: 0.3), seeds: 1...10)
        case cumulative:
            return seeded(Plan(streams: four, messages: 40, maxFragments: 3, initialTSN: UInt32.max - 20, reorderWindow: 6,
                               duplication: 0.1, abandonment: 0.3), seeds: 1...20, cumulative: true)
        case limits:
            return StreamReceiveHandWritten.limits
        default:
            return (UInt64(1)...100).map { seed in
                let plan = Plan(streams: four, messages: 60, maxFragments: 4,
                                initialTSN: seed % 2 == 0 ? UInt32.max - UInt32(seed) : UInt32(seed) * 1000,
                                reorderWindow: Int(seed % 9), duplication: 0.15, abandonment: 0.25, staleForwardRate: 0.1)
                return StreamReceiveScenario(name: "seed \(seed)", initialTSN: plan.initialTSN, inputs: plan.inputs(seed: seed),
                                             checksCumulativeTSN: true)
            }
        }
    }
}

extension CheckSuite {
    /// Exercise 12's checks bound to `receiver` (the student's `StreamReceive` or the
    /// reference): kept apart from `checks(protocolStack:…)` so that adding the exercise
    /// changes no existing signature; the runner appends them.
    public static func streamReceiveChecks<Receiver: StreamReceiveExercise>(_ receiver: Receiver.Type) -> [ExerciseCheck] {
        StreamReceiveChecks.checks(receiver)
    }
}
