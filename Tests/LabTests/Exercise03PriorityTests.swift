import ExerciseChecks
import ExerciseInterfaces
import ICE
import Solutions
import Testing

/// The reference answer of exercise 03 against the ICE module's own formulas: two
/// independent implementations of RFC 8445 §5.1.2.1 and §6.1.2.3 must agree everywhere.
@Suite("Exercise 03 reference answer agrees with the ICE module")
struct Exercise03PriorityTests {
    @Test("type preferences match ICECandidateType's recommended ones", arguments: CandidateKind.allCases)
    func typePreferences(kind: CandidateKind) throws {
        let ice = ICECandidateType(rawValue: kind.rawValue)
        #expect(try Solutions.CandidatePriority.typePreference(for: kind) == Int(ice.recommendedTypePreference))
    }

    @Test("candidate priorities agree on 5000 random valid inputs and on every corner")
    func candidatePriorities() throws {
        var rng = Seeded(0x03_5121)
        var inputs: [(Int, Int, Int)] = [(0, 0, 1), (0, 0, 256), (126, 65535, 1), (126, 65535, 256), (0, 65535, 1), (126, 0, 256)]
        for _ in 0..<5000 {
            inputs.append((Int(rng.next() % 127), Int(rng.next() % 65536), Int(rng.next() % 256) + 1))
        }
        for (type, local, component) in inputs {
            let ours = try Solutions.CandidatePriority.candidatePriority(typePreference: type, localPreference: local, componentID: component)
            let ice = try ICECandidatePriority.compute(typePreference: UInt8(type), localPreference: UInt16(local), componentID: component)
            #expect(ours == ice, "(\(type), \(local), \(component))")
            #expect(ICECandidatePriority.typePreference(of: ours) == UInt8(type))
            #expect(ICECandidatePriority.localPreference(of: ours) == UInt16(local))
            #expect(ICECandidatePriority.componentID(of: ours) == component)
        }
    }

    @Test("pair priorities agree on 5000 random valid pairs, equal pairs and the extremes")
    func pairPriorities() throws {
        var rng = Seeded(0x03_6123)
        let maximum = Int(ICEPairPriority.maximumCandidatePriority)
        var inputs = [(1, 1), (maximum, maximum), (1, maximum), (maximum, 1), (2_130_706_431, 1_694_498_815)]
        for _ in 0..<5000 {
            let g = Int(rng.next() % UInt64(maximum)) + 1
            inputs.append((g, rng.next() % 8 == 0 ? g : Int(rng.next() % UInt64(maximum)) + 1))
        }
        for (g, d) in inputs {
            let ours = try Solutions.CandidatePriority.pairPriority(controlling: g, controlled: d)
            #expect(ours == ICEPairPriority.compute(controlling: UInt32(g), controlled: UInt32(d)), "(\(g), \(d))")
        }
    }

    @Test("the solution rejects exactly what the ICE module rejects or clamps")
    func rejections() {
        #expect(throws: ExerciseError.self) { try Solutions.CandidatePriority.candidatePriority(typePreference: 127, localPreference: 0, componentID: 1) }
        #expect(throws: ICEError.self) { try ICECandidatePriority.compute(typePreference: 127, localPreference: 0, componentID: 1) }
        #expect(throws: ExerciseError.self) { try Solutions.CandidatePriority.candidatePriority(typePreference: 0, localPreference: 0, componentID: 257) }
        #expect(throws: ICEError.self) { try ICECandidatePriority.compute(typePreference: 0, localPreference: 0, componentID: 257) }
        #expect(throws: ExerciseError.self) { try Solutions.CandidatePriority.pairPriority(controlling: 1 << 31, controlled: 1) }
    }
}

/// A deterministic generator (SplitMix64's constants), so a failure names inputs that reproduce.
private struct Seeded {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
