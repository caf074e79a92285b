// Checks of exercise 03: the RFC 8445 priority formulas, with the numbers a browser puts
// in its SDP (host 2130706431, srflx 1694498815, relay 16777215) and the edges where
// arithmetic goes wrong: fields that spill into each other, 32-bit overflow, the tie bit.
// This is a coding exercise, so failures show the expected numbers (like exercise 02).
import ExerciseInterfaces

enum CandidatePriorityChecks {
    static let exerciseID = "03-candidate-priority"
    static let check = DescriptorMaker(exerciseID: exerciseID)

    static let typeRule = "RFC 8445 §5.1.2.2: the RECOMMENDED type preferences are 126 for host, 110 for peer-reflexive, "
        + "100 for server-reflexive and 0 for relayed candidates"
    static let formulaRule = "RFC 8445 §5.1.2.1: priority = (2^24)*(type preference) + (2^8)*(local preference) + (2^0)*(256 - component ID)"
    static let rangeRule = "RFC 8445 §5.1.2.1: the type preference is 0...126, the local preference 0...65535, the component ID 1...256"
    static let pairRule = "RFC 8445 §6.1.2.3: pair priority = 2^32*MIN(G,D) + 2*MAX(G,D) + (G>D?1:0), "
        + "G being the controlling agent's candidate priority and D the controlled agent's"
    static let pairRangeRule = "RFC 8445 §5.1.2: a candidate priority MUST be a positive integer between 1 and (2^31 - 1), inclusive"

    static let maxPriority = 0x7FFF_FFFF

    static let types = check(
        "type.preferences", points: 2,
        title: "typePreference(for:) gives host 126, prflx 110, srflx 100, relay 0", rule: typeRule)
    static let host = check(
        "candidate.host", points: 2,
        title: "a host candidate (126, local preference 65535, component 1) has priority 2130706431", rule: formulaRule)
    static let srflx = check(
        "candidate.srflx", points: 1,
        title: "a server-reflexive candidate (100, 65535, component 1) has priority 1694498815", rule: formulaRule)
    static let relay = check(
        "candidate.relay", points: 1,
        title: "a relayed candidate (0, 65535, component 1) has priority 16777215", rule: formulaRule)
    static let component = check(
        "candidate.component-2", points: 1,
        title: "component 2 (RTCP) is one less than component 1: host 2130706430", rule: formulaRule)
    static let fields = check(
        "candidate.fields", points: 1, title: "each field lands in its own bits, at the ends of every range", rule: formulaRule)
    static let candidateRange = check(
        "candidate.rejects-out-of-range", points: 1,
        title: "throws ExerciseError.invalidInput for a field outside its range", rule: rangeRule)
    static let pairControlling = check(
        "pair.controlling-higher", points: 2,
        title: "a pair whose controlling side has the higher priority gets the tie bit (G>D)", rule: pairRule)
    static let pairControlled = check(
        "pair.controlled-higher", points: 1,
        title: "a pair whose controlled side has the higher priority has no tie bit (G<D)", rule: pairRule)
    static let pairEqual = check(
        "pair.equal", points: 1, title: "a pair of equal priorities is 2^32*G + 2*G (G=D)", rule: pairRule)
    static let pairMaximum = check(
        "pair.maximum", points: 1,
        title: "pairs of the largest legal priorities (2^31-1) do not overflow", rule: pairRule + "; " + pairRangeRule)
    static let pairRange = check(
        "pair.rejects-out-of-range", points: 1,
        title: "throws ExerciseError.invalidInput for a candidate priority outside 1...2^31-1", rule: pairRangeRule)

    static let descriptors = [
        types, host, srflx, relay, component, fields, candidateRange,
        pairControlling, pairControlled, pairEqual, pairMaximum, pairRange,
    ]

    /// The reference formulas, written out in full so each expectation reads like the RFC.
    static func priority(_ type: Int, _ local: Int, _ component: Int) -> UInt32 {
        UInt32(type * 16_777_216 + local * 256 + (256 - component))
    }

    static func pair(_ g: Int, _ d: Int) -> UInt64 {
        UInt64(min(g, d)) * 4_294_967_296 + 2 * UInt64(max(g, d)) + (g > d ? 1 : 0)
    }

    static func checks<Exercise: CandidatePriorityExercise>(_ exercise: Exercise.Type) -> [ExerciseCheck] {
        [
            ExerciseCheck(types) {
                let expected: [(CandidateKind, Int)] = [(.host, 126), (.peerReflexive, 110), (.serverReflexive, 100), (.relay, 0)]
                for (kind, value) in expected {
                    let call = "\(Exercise.self).typePreference(for: .\(kind))"
                    do {
                        let answer = try Exercise.typePreference(for: kind)
                        if answer != value {
                            return .fail(CheckFailure(input: call, expected: String(value), actual: String(answer), rule: typeRule))
                        }
                    } catch {
                        return .fail(CheckFailure(input: call, expected: String(value), actual: Describe.thrown(error), rule: typeRule))
                    }
                }
                return .pass
            },
            priorities(Exercise.self, host, [(126, 65535, 1)]),
            priorities(Exercise.self, srflx, [(100, 65535, 1)]),
            priorities(Exercise.self, relay, [(0, 65535, 1)]),
            priorities(Exercise.self, component, [(126, 65535, 2)]),
            priorities(Exercise.self, fields, [
                (0, 0, 256), (0, 0, 1), (126, 0, 256), (0, 65535, 256), (1, 1, 255), (110, 32768, 1), (126, 65535, 256),
            ]),
            ExerciseCheck(candidateRange) {
                let bad = [(127, 65535, 1), (-1, 0, 1), (126, 65536, 1), (126, -1, 1), (126, 65535, 0), (126, 65535, 257), (255, 0, 1)]
                for (type, local, component) in bad {
                    let call = "\(Exercise.self).candidatePriority(typePreference: \(type), localPreference: \(local), componentID: \(component))"
                    if let failure = Verdict.rejects(call, rule: rangeRule, { _ = try Exercise.candidatePriority(
                        typePreference: type, localPreference: local, componentID: component) }) {
                        return .fail(failure)
                    }
                }
                return .pass
            },
            pairs(Exercise.self, pairControlling, [(2_130_706_431, 1_694_498_815), (1_694_498_815, 16_777_215), (2, 1)]),
            pairs(Exercise.self, pairControlled, [(1_694_498_815, 2_130_706_431), (16_777_215, 1_694_498_815), (1, 2)]),
            pairs(Exercise.self, pairEqual, [(2_130_706_431, 2_130_706_431), (1, 1)]),
            pairs(Exercise.self, pairMaximum, [(maxPriority, maxPriority), (maxPriority, 1), (1, maxPriority)]),
            ExerciseCheck(pairRange) {
                for (g, d) in [(0, 1), (1, 0), (maxPriority + 1, 1), (1, maxPriority + 1), (-1, 5)] {
                    let call = "\(Exercise.self).pairPriority(controlling: \(g), controlled: \(d))"
                    if let failure = Verdict.rejects(call, rule: pairRangeRule, { _ = try Exercise.pairPriority(controlling: g, controlled: d) }) {
                        return .fail(failure)
                    }
                }
                return .pass
            },
        ]
    }

    /// A check that every (type, local, component) gives the formula's priority.
    static func priorities<Exercise: CandidatePriorityExercise>(
        _ exercise: Exercise.Type, _ descriptor: CheckDescriptor, _ inputs: [(Int, Int, Int)]
    ) -> ExerciseCheck {
        ExerciseCheck(descriptor) {
            for (type, local, component) in inputs {
                let call = "\(Exercise.self).candidatePriority(typePreference: \(type), localPreference: \(local), componentID: \(component))"
                let expected = priority(type, local, component)
                do {
                    let answer = try Exercise.candidatePriority(typePreference: type, localPreference: local, componentID: component)
                    if answer != expected {
                        return .fail(CheckFailure(
                            input: call, expected: "\(expected) (\(Describe.hex(expected)))",
                            actual: "\(answer) (\(Describe.hex(answer)))", rule: formulaRule))
                    }
                } catch {
                    return .fail(CheckFailure(input: call, expected: String(expected), actual: Describe.thrown(error), rule: formulaRule))
                }
            }
            return .pass
        }
    }

    /// A check that every (G, D) gives the formula's pair priority.
    static func pairs<Exercise: CandidatePriorityExercise>(
        _ exercise: Exercise.Type, _ descriptor: CheckDescriptor, _ inputs: [(Int, Int)]
    ) -> ExerciseCheck {
        ExerciseCheck(descriptor) {
            for (g, d) in inputs {
                let call = "\(Exercise.self).pairPriority(controlling: \(g), controlled: \(d))"
                let expected = pair(g, d)
                do {
                    let answer = try Exercise.pairPriority(controlling: g, controlled: d)
                    if answer != expected {
                        return .fail(CheckFailure(
                            input: call, expected: "\(expected) (\(Describe.hex(expected)))",
                            actual: "\(answer) (\(Describe.hex(answer)))", rule: descriptor.rule))
                    }
                } catch {
                    return .fail(CheckFailure(input: call, expected: String(expected), actual: Describe.thrown(error), rule: descriptor.rule))
                }
            }
            return .pass
        }
    }
}
