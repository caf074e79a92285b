import Testing
import Wire
@testable import ICE

/// Candidates for a two-component stream on documentation addresses (pure
/// data: nothing is sent anywhere).
enum Fixture {
    static func address(_ text: String) -> TransportAddress { try! TransportAddress(parsing: text) }

    // Local (our side).
    static let l1 = ICECandidate(type: .host, address: address("192.0.2.1:5000"), componentID: 1, foundation: "1", priority: 2_130_706_431)
    static let l2 = ICECandidate(type: .serverReflexive, address: address("203.0.113.1:6000"), base: address("192.0.2.1:5000"),
                                 componentID: 1, foundation: "2", priority: 1_694_498_815, relatedAddress: address("192.0.2.1:5000"))
    static let l3 = ICECandidate(type: .relayed, address: address("198.51.100.1:7000"), componentID: 1, foundation: "3", priority: 16_777_215)
    static let l4 = ICECandidate(type: .host, address: address("[2001:db8::1]:5000"), componentID: 1, foundation: "4", priority: 2_130_706_175)
    static let l1c2 = ICECandidate(type: .host, address: address("192.0.2.1:5001"), componentID: 2, foundation: "1", priority: 2_130_706_430)

    // Remote (the peer's side).
    static let r1 = ICECandidate(type: .host, address: address("192.0.2.2:5000"), componentID: 1, foundation: "a", priority: 2_130_706_431)
    static let r2 = ICECandidate(type: .serverReflexive, address: address("203.0.113.2:6000"), componentID: 1, foundation: "b", priority: 1_694_498_815)
    static let r3 = ICECandidate(type: .host, address: address("[2001:db8::2]:5000"), componentID: 1, foundation: "c", priority: 2_130_706_431)
    static let r1c2 = ICECandidate(type: .host, address: address("192.0.2.2:5001"), componentID: 2, foundation: "a", priority: 2_130_706_430)

    static let local = [l1, l2, l3, l4, l1c2]
    static let remote = [r1, r2, r3, r1c2]

    /// "local base -> remote address" for each pair, in checklist order.
    static func routes(_ checklist: ICEChecklist) -> [String] {
        checklist.pairs.map { "\($0.local.base) -> \($0.remote.address)" }
    }
}

@Suite("Checklist formation")
struct ChecklistFormationTests {
    @Test("pairs same component and family, replaces srflx by its base, prunes and orders by priority")
    func formation() {
        let checklist = ICEChecklist(local: Fixture.local, remote: Fixture.remote, role: .controlling)
        // 3 IPv4 locals x 2 IPv4 remotes + 1 IPv6 x 1 IPv6 + 1 component-2 pair = 8 formed;
        // the two srflx pairs become 192.0.2.1:5000 pairs, duplicates of the host ones: 6 left.
        #expect(Fixture.routes(checklist) == [
            "192.0.2.1:5000 -> 192.0.2.2:5000",       // G=D=2130706431: 9151314442783293438
            "192.0.2.1:5001 -> 192.0.2.2:5001",       // G=D=2130706430: 9151314438488326140
            "[2001:db8::1]:5000 -> [2001:db8::2]:5000", // G=2130706175 < D: 9151313343271665662
            "192.0.2.1:5000 -> 203.0.113.2:6000",     // host/srflx: 7277816997797167103
            "198.51.100.1:7000 -> 192.0.2.2:5000",    // relay/host: 72057594004373502
            "198.51.100.1:7000 -> 203.0.113.2:6000",  // relay/srflx: 72057593131958270
        ])
        #expect(checklist.pairs.map(\.priority) == [
            9_151_314_442_783_293_438, 9_151_314_438_488_326_140, 9_151_313_343_271_665_662,
            7_277_816_997_797_167_103, 72_057_594_004_373_502, 72_057_593_131_958_270,
        ])
        #expect(checklist.pairs.map(\.id) == Array(0..<6))
        #expect(!checklist.pairs.contains { $0.local.type == .serverReflexive })
        // §6.1.2.6: the highest-priority pair of each foundation Waiting, the rest Frozen.
        var seen = Set<String>()
        for pair in checklist.pairs {
            #expect(pair.state == (seen.insert(pair.foundation).inserted ? .waiting : .frozen))
        }
        #expect(checklist.count(.waiting) == Set(checklist.pairs.map(\.foundation)).count)
    }

    @Test("the controlled side orders the same pairs by the same numbers but for the tie bit")
    func controlledPriorities() {
        let checklist = ICEChecklist(local: Fixture.local, remote: Fixture.remote, role: .controlled)
        // Host/srflx with the peer controlling: G = 1694498815 < D, no tie bit.
        let hostSrflx = checklist.pairs.first { $0.remote == Fixture.r2 && $0.local == Fixture.l1 }
        #expect(hostSrflx?.priority == 7_277_816_997_797_167_102)
    }

    @Test("the pair limit keeps the highest-priority pairs")
    func limit() {
        let checklist = ICEChecklist(local: Fixture.local, remote: Fixture.remote, role: .controlling, maximumPairs: 3)
        #expect(checklist.pairs.count == 3)
        #expect(checklist.pairs.last?.priority == 9_151_313_343_271_665_662)
        #expect(ICEChecklist(local: Fixture.local, remote: Fixture.remote, role: .controlling).maximumPairs == 100)
    }

    @Test("a srflx without its host in the list still pairs from its base")
    func srflxWithoutHost() {
        let pairs = ICEChecklist.formPairs(local: [Fixture.l2], remote: [Fixture.r1], role: .controlling)
        #expect(pairs.count == 1)
        #expect(pairs[0].local.address == Fixture.l1.address && pairs[0].local.type == .host)
        #expect(pairs[0].priority == ICEPairPriority.compute(controlling: 1_694_498_815, controlled: 2_130_706_431))
    }

    @Test("IPv6 link-local pairs only with link-local")
    func linkLocalPairing() {
        let linkLocal = ICECandidate(type: .host, address: Fixture.address("[fe80::1]:5000"), componentID: 1,
                                     foundation: "9", priority: 2_130_706_000)
        let remoteLinkLocal = ICECandidate(type: .host, address: Fixture.address("[fe80::2]:5000"), componentID: 1,
                                           foundation: "z", priority: 2_130_706_000)
        #expect(!ICEChecklist.canPair(linkLocal, Fixture.r3))
        #expect(ICEChecklist.canPair(linkLocal, remoteLinkLocal))
        #expect(!ICEChecklist.canPair(Fixture.l1, Fixture.r3))   // IPv4 with IPv6
        #expect(!ICEChecklist.canPair(Fixture.l1, Fixture.r1c2)) // component 1 with 2
    }

    @Test("initial states unfreeze exactly one pair per foundation, lowest component first")
    func initialStates() {
        var checklist = ICEChecklist(local: Fixture.local, remote: Fixture.remote, role: .controlling)
        checklist.computeInitialStates()
        // Foundations 1:a (components 1 and 2), 4:c, 1:b, 3:a, 3:b: the component-2 pair
        // shares 1:a with the component-1 pair and stays Frozen.
        #expect(checklist.pairs.map(\.state) == [.waiting, .frozen, .waiting, .waiting, .waiting, .waiting])
        #expect(checklist.pairs[1].foundation == "1:a" && checklist.pairs[0].foundation == "1:a")
        #expect(checklist.count(.waiting) == 5 && checklist.count(.frozen) == 1)
    }

    @Test("initial states follow the component, not just the priority")
    func initialStatesByComponent() {
        // Give the component-2 pair the higher priority: component 1 is still unfrozen first.
        var boosted = Fixture.r1c2
        boosted.priority = 2_130_706_500
        var highL1c2 = Fixture.l1c2
        highL1c2.priority = 2_130_706_500
        var checklist = ICEChecklist(local: [Fixture.l1, highL1c2], remote: [Fixture.r1, boosted], role: .controlling)
        #expect(checklist.pairs.first?.componentID == 2)
        checklist.computeInitialStates()
        let states = Dictionary(uniqueKeysWithValues: checklist.pairs.map { ($0.componentID, $0.state) })
        #expect(states == [1: .waiting, 2: .frozen])
    }
}
