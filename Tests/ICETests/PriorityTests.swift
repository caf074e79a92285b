import Testing
@testable import ICE

/// RFC 8445 §5.1.2.1: priority = 2^24*type + 2^8*local + (256 - component).
@Suite("Candidate and pair priorities")
struct PriorityTests {
    @Test("host IPv4, component 1, local preference 65535 is 2130706431")
    func hostPriority() throws {
        // 126*16777216 = 2113929216; 65535*256 = 16776960; 256-1 = 255.
        // 2113929216 + 16776960 + 255 = 2130706431 (0x7EFFFFFF).
        #expect(try ICECandidatePriority.compute(type: .host, localPreference: 65535, componentID: 1) == 2_130_706_431)
    }

    @Test("server-reflexive, component 1, local preference 65535 is 1694498815")
    func srflxPriority() throws {
        // 100*16777216 = 1677721600; + 16776960 + 255 = 1694498815.
        #expect(try ICECandidatePriority.compute(type: .serverReflexive, localPreference: 65535, componentID: 1) == 1_694_498_815)
    }

    @Test("relayed, component 1, local preference 65535 is 16777215")
    func relayPriority() throws {
        // 0*16777216 + 16776960 + 255 = 16777215 (0x00FFFFFF).
        #expect(try ICECandidatePriority.compute(type: .relayed, localPreference: 65535, componentID: 1) == 16_777_215)
    }

    @Test("peer-reflexive, component 1, local preference 65535 is 1862270975")
    func prflxPriority() throws {
        // 110*16777216 = 1845493760; + 16776960 + 255 = 1862270975.
        #expect(try ICECandidatePriority.compute(type: .peerReflexive, localPreference: 65535, componentID: 1) == 1_862_270_975)
    }

    @Test("component 2 and a lower local preference rank just below")
    func componentAndLocalPreference() throws {
        // Component 2: the last term is 254, so 2130706430.
        #expect(try ICECandidatePriority.compute(type: .host, localPreference: 65535, componentID: 2) == 2_130_706_430)
        // Local preference 65534: 2113929216 + 16776704 + 255 = 2130706175.
        #expect(try ICECandidatePriority.compute(type: .host, localPreference: 65534, componentID: 1) == 2_130_706_175)
        // Component 256 makes the last term 0.
        #expect(try ICECandidatePriority.compute(typePreference: 0, localPreference: 0, componentID: 256) == 0)
    }

    @Test("the recommended type preferences are 126, 110, 100 and 0; unknown types get 0")
    func typePreferences() {
        #expect(ICECandidateType.host.recommendedTypePreference == 126)
        #expect(ICECandidateType.peerReflexive.recommendedTypePreference == 110)
        #expect(ICECandidateType.serverReflexive.recommendedTypePreference == 100)
        #expect(ICECandidateType.relayed.recommendedTypePreference == 0)
        #expect(ICECandidateType(rawValue: "future").recommendedTypePreference == 0)
        #expect(ICECandidateType(rawValue: "srflx") == .serverReflexive)
    }

    @Test("out-of-range type preference or component id is API misuse")
    func rejectsOutOfRange() {
        #expect(throws: ICEError.self) { try ICECandidatePriority.compute(typePreference: 127, localPreference: 0, componentID: 1) }
        #expect(throws: ICEError.self) { try ICECandidatePriority.compute(type: .host, localPreference: 0, componentID: 0) }
        #expect(throws: ICEError.self) { try ICECandidatePriority.compute(type: .host, localPreference: 0, componentID: 257) }
        do {
            _ = try ICECandidatePriority.compute(type: .host, localPreference: 0, componentID: 0)
        } catch let error as ICEError {
            #expect(error.code == .invalidArgument && error.origin == .caller)
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test("a priority decodes back into its three terms")
    func decodesTerms() {
        #expect(ICECandidatePriority.typePreference(of: 1_694_498_815) == 100)
        #expect(ICECandidatePriority.localPreference(of: 2_130_706_175) == 65534)
        #expect(ICECandidatePriority.componentID(of: 2_130_706_430) == 2)
        #expect(ICECandidatePriority.componentID(of: 0) == 256)
    }

    @Test("the PRIORITY of a check swaps in the peer-reflexive type preference")
    func peerReflexiveCheckPriority() {
        // Host 2130706431 keeps 65535/component 1 and takes type 110: 1862270975.
        #expect(ICECandidatePriority.peerReflexive(from: 2_130_706_431) == 1_862_270_975)
        // Relay 16777215 (type 0) also becomes 1862270975.
        #expect(ICECandidatePriority.peerReflexive(from: 16_777_215) == 1_862_270_975)
        // Host with local preference 65534: 1845493760 + 16776704 + 255 = 1862270719.
        #expect(ICECandidatePriority.peerReflexive(from: 2_130_706_175) == 1_862_270_719)
    }

    @Test("pair priority of host (G, controlling) and srflx (D): G>D sets the low bit")
    func pairPriorityTieBit() {
        // G = 2130706431, D = 1694498815.
        // 2^32*MIN = 1694498815 * 4294967296 = 7277816993535754240
        // 2*MAX    = 2 * 2130706431          =          4261412862
        // G>D      =                                              1
        // sum                                 = 7277816997797167103
        let hostOverSrflx = ICEPairPriority.compute(controlling: 2_130_706_431, controlled: 1_694_498_815)
        let srflxOverHost = ICEPairPriority.compute(controlling: 1_694_498_815, controlled: 2_130_706_431)
        #expect(hostOverSrflx == 7_277_816_997_797_167_103)
        #expect(srflxOverHost == 7_277_816_997_797_167_102)
        // Same two candidates, roles swapped: only the tie bit differs.
        #expect(hostOverSrflx - srflxOverHost == 1)
    }

    @Test("pair priority with equal candidates has no tie bit; host/relay worked out")
    func pairPriorityEqualAndRelay() {
        // G = D = 2130706431: 2130706431<<32 + 2*2130706431 + 0 = 9151314442783293438.
        #expect(ICEPairPriority.compute(controlling: 2_130_706_431, controlled: 2_130_706_431) == 9_151_314_442_783_293_438)
        // G = host, D = relay 16777215: 16777215<<32 + 2*2130706431 + 1 = 72057594004373503.
        #expect(ICEPairPriority.compute(controlling: 2_130_706_431, controlled: 16_777_215) == 72_057_594_004_373_503)
        #expect(ICEPairPriority.compute(controlling: 16_777_215, controlled: 2_130_706_431) == 72_057_594_004_373_502)
    }

    @Test("both agents compute the same pair priority from their own side")
    func symmetricAcrossAgents() {
        let mine: UInt32 = 2_130_706_431, theirs: UInt32 = 1_694_498_815
        let asControlling = ICEPairPriority.compute(local: mine, remote: theirs, role: .controlling)
        let peerAsControlled = ICEPairPriority.compute(local: theirs, remote: mine, role: .controlled)
        #expect(asControlling == peerAsControlled)
    }

    @Test("invalid priorities above 2^31-1 are clamped instead of overflowing")
    func hostilePrioritiesDoNotTrap() {
        let clamped = ICEPairPriority.compute(controlling: .max, controlled: .max)
        // (2^31-1)<<32 + 2*(2^31-1) = 9223372032559808512 + 4294967294 = 9223372036854775806.
        #expect(clamped == 9_223_372_036_854_775_806)
        #expect(clamped == ICEPairPriority.compute(controlling: 0x7FFF_FFFF, controlled: 0x7FFF_FFFF))
    }
}
