import Testing
import Wire
@testable import ICE

@Suite("Role conflicts (RFC 8445 §7.3.1.1, §7.2.5.1)")
struct RoleConflictTests {
    @Test("controlling meets ICE-CONTROLLING: larger-or-equal tie-breaker keeps the role and answers 487")
    func bothControllingWeWin() {
        #expect(ICERoleConflict.decide(localRole: .controlling, localTieBreaker: 20,
                                       peer: ICEClaimedRole(.controlling, tieBreaker: 10)) == .respondRoleConflict)
        // Equal tie-breakers: "larger than or equal to" keeps ours.
        #expect(ICERoleConflict.decide(localRole: .controlling, localTieBreaker: 10,
                                       peer: ICEClaimedRole(.controlling, tieBreaker: 10)) == .respondRoleConflict)
    }

    @Test("controlling meets ICE-CONTROLLING: smaller tie-breaker switches to controlled")
    func bothControllingWeLose() {
        #expect(ICERoleConflict.decide(localRole: .controlling, localTieBreaker: 10,
                                       peer: ICEClaimedRole(.controlling, tieBreaker: 20)) == .switchRole(to: .controlled))
    }

    @Test("controlled meets ICE-CONTROLLED: larger-or-equal tie-breaker switches to controlling")
    func bothControlledWeWin() {
        #expect(ICERoleConflict.decide(localRole: .controlled, localTieBreaker: 20,
                                       peer: ICEClaimedRole(.controlled, tieBreaker: 10)) == .switchRole(to: .controlling))
        #expect(ICERoleConflict.decide(localRole: .controlled, localTieBreaker: .max,
                                       peer: ICEClaimedRole(.controlled, tieBreaker: .max)) == .switchRole(to: .controlling))
    }

    @Test("controlled meets ICE-CONTROLLED: smaller tie-breaker answers 487")
    func bothControlledWeLose() {
        #expect(ICERoleConflict.decide(localRole: .controlled, localTieBreaker: 10,
                                       peer: ICEClaimedRole(.controlled, tieBreaker: 20)) == .respondRoleConflict)
    }

    @Test("opposite roles are no conflict, whatever the tie-breakers")
    func noConflict() {
        for role in ICERole.allCases {
            #expect(ICERoleConflict.decide(localRole: role, localTieBreaker: 1,
                                           peer: ICEClaimedRole(role.opposite, tieBreaker: 2)) == .noConflict)
        }
    }

    @Test("in every conflict the larger tie-breaker ends up controlling")
    func largerTieBreakerControls() {
        var rng = SplitMix64(seed: 8445)
        for _ in 0..<200 {
            let mine = rng.next(), theirs = rng.next()
            let role: ICERole = rng.next() % 2 == 0 ? .controlling : .controlled
            let decision = ICERoleConflict.decide(localRole: role, localTieBreaker: mine, peer: ICEClaimedRole(role, tieBreaker: theirs))
            // 487 means the peer switches; otherwise we do.
            let finalMine: ICERole = decision == .respondRoleConflict ? role : role.opposite
            #expect((finalMine == .controlling) == (mine >= theirs))
        }
    }

    @Test("a 487 switches our role once, then only retries")
    func after487() {
        #expect(ICERoleConflict.decideAfter487(roleInRequest: .controlling, currentRole: .controlling) == .switchRoleAndRetry(to: .controlled))
        #expect(ICERoleConflict.decideAfter487(roleInRequest: .controlled, currentRole: .controlled) == .switchRoleAndRetry(to: .controlling))
        #expect(ICERoleConflict.decideAfter487(roleInRequest: .controlling, currentRole: .controlled) == .retry)
    }
}

@Suite("Pacing (RFC 8445 §14)")
struct PacingTests {
    @Test("Ta defaults to 50 ms and may not go below 5 ms")
    func defaults() throws {
        #expect(try ICEPacing().ta == .milliseconds(50))
        #expect(throws: ICEError.self) { try ICEPacing(ta: .milliseconds(4)) }
        #expect(try ICEPacing(ta: .milliseconds(5)).ta == .milliseconds(5))
    }

    @Test("agents use the larger proposed Ta; concurrent agents share the 5 ms budget")
    func negotiation() throws {
        #expect(try ICEPacing.negotiated(local: .milliseconds(20), remote: .milliseconds(50)).ta == .milliseconds(50))
        let fast = try ICEPacing(ta: .milliseconds(5))
        #expect(fast.sharedAmong(agents: 4).ta == .milliseconds(20))
        #expect(try ICEPacing().sharedAmong(agents: 4).ta == .milliseconds(50))
    }

    @Test("RTO = MAX(500 ms, Ta * (Waiting + In-Progress))")
    func rto() throws {
        let pacing = try ICEPacing()
        #expect(pacing.checkRTO(waiting: 3, inProgress: 2) == .milliseconds(500))   // 50*5 = 250 -> 500
        #expect(pacing.checkRTO(waiting: 10, inProgress: 2) == .milliseconds(600))  // 50*12 = 600
        var checklist = ICEChecklist(local: Fixture.local, remote: Fixture.remote, role: .controlling)
        checklist.computeInitialStates()
        #expect(checklist.checkRTO(pacing: try ICEPacing(ta: .milliseconds(100))) == .milliseconds(500)) // 5 Waiting
        #expect(checklist.checkRTO(pacing: try ICEPacing(ta: .milliseconds(200))) == .milliseconds(1000))
    }

    @Test("the next check leaves Ta after the previous one, or now when idle")
    func nextCheckTime() throws {
        let pacing = try ICEPacing()
        #expect(pacing.nextCheckTime(after: nil, now: .milliseconds(7)) == .milliseconds(7))
        #expect(pacing.nextCheckTime(after: .milliseconds(100), now: .milliseconds(120)) == .milliseconds(150))
        #expect(pacing.nextCheckTime(after: .milliseconds(100), now: .milliseconds(400)) == .milliseconds(400))
    }
}
