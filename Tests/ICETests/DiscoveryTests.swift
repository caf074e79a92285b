import Testing
import Wire
@testable import ICE

@Suite("Late and peer-reflexive candidates")
struct DiscoveryTests {
    @Test("a trickled remote candidate pairs with every compatible local candidate, once")
    func trickledRemote() {
        var checklist = ICEChecklist(local: [Fixture.l1, Fixture.l3, Fixture.l4], remote: [], role: .controlling)
        #expect(checklist.pairs.isEmpty)
        let ids = checklist.addRemoteCandidate(Fixture.r1)
        #expect(ids == [0, 1]) // l1 and l3 (IPv4); l4 is IPv6
        #expect(Fixture.routes(checklist) == ["192.0.2.1:5000 -> 192.0.2.2:5000", "198.51.100.1:7000 -> 192.0.2.2:5000"])
        #expect(checklist.addRemoteCandidate(Fixture.r1).isEmpty)
        let local = checklist.addLocalCandidate(Fixture.l2) // srflx: its base pairs already exist
        #expect(local == [0])
        #expect(checklist.pairs.count == 2)
    }

    @Test("a check from an unknown source teaches a remote peer-reflexive candidate and a pair")
    func incomingFromNewSource() {
        var checklist = ICEChecklist(local: [Fixture.l1], remote: [Fixture.r1], role: .controlled)
        let natted = Fixture.address("203.0.113.50:40000")
        let route = checklist.routeIncomingCheck(receivedOn: Fixture.l1.address, from: natted,
                                                 priority: 1_862_270_975, newFoundation: "prflx1")
        #expect(route?.pairID == 1)
        #expect(route?.learntRemote?.type == .peerReflexive)
        #expect(route?.learntRemote?.priority == 1_862_270_975)
        #expect(checklist.remoteCandidates.count == 2)
        // The same source again finds the same pair and learns nothing.
        let again = checklist.routeIncomingCheck(receivedOn: Fixture.l1.address, from: natted,
                                                 priority: 1_862_270_975, newFoundation: "prflx2")
        #expect(again == ICEChecklist.IncomingRoute(pairID: 1, learntRemote: nil))
        // A known source maps onto the existing pair.
        let known = checklist.routeIncomingCheck(receivedOn: Fixture.l1.address, from: Fixture.r1.address,
                                                 priority: 1, newFoundation: "x")
        #expect(known?.pairID == 0 && known?.learntRemote == nil)
        // A base we do not have: nowhere to route.
        #expect(checklist.routeIncomingCheck(receivedOn: Fixture.address("127.0.0.9:1"), from: natted,
                                             priority: 1, newFoundation: "y") == nil)
    }

    @Test("a success mapped to our own host address validates the checked pair itself")
    func validPairNoNAT() throws {
        var checklist = ICEChecklist(local: [Fixture.l1], remote: [Fixture.r1], role: .controlling)
        var foundations = ICEFoundations()
        let valid = try checklist.validPair(forSuccessOn: 0, mapped: Fixture.l1.address, foundations: &foundations)
        #expect(valid.isInChecklist && valid.pair.id == 0 && valid.learntLocal == nil)
    }

    @Test("a success mapped to a new address yields a local peer-reflexive candidate outside the checklist")
    func validPairBehindNAT() throws {
        var checklist = ICEChecklist(local: [Fixture.l1], remote: [Fixture.r1], role: .controlling)
        var foundations = ICEFoundations()
        let mapped = Fixture.address("203.0.113.77:50000")
        let valid = try checklist.validPair(forSuccessOn: 0, mapped: mapped, foundations: &foundations)
        #expect(!valid.isInChecklist)
        let learnt = try #require(valid.learntLocal)
        // Priority: what the check carried, 1862270975; base: the host it left from.
        #expect(learnt.priority == 1_862_270_975 && learnt.base == Fixture.l1.address)
        // Valid pair priority, controlling: G = 1862270975, D = 2130706431:
        // 1862270975<<32 = 7998392933915033600; + 2*2130706431 = 4261412862; + 0
        // = 7998392938176446462.
        #expect(valid.pair.priority == 7_998_392_938_176_446_462)
        #expect(valid.pair.state == .succeeded)
        #expect(checklist.localCandidates.count == 2)
        #expect(throws: ICEError.self) { try checklist.validPair(forSuccessOn: 9, mapped: mapped, foundations: &foundations) }
    }
}
