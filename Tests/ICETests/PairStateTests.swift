import Testing
@testable import ICE

@Suite("Pair states, triggered checks and scheduling")
struct PairStateTests {
    @Test("the transition table allows exactly the RFC's moves")
    func transitionTable() {
        typealias S = ICEPairState
        #expect(S.frozen.next(on: .unfreeze) == .waiting)
        #expect(S.waiting.next(on: .sendCheck) == .inProgress)
        #expect(S.inProgress.next(on: .checkSucceeded) == .succeeded)
        #expect(S.inProgress.next(on: .checkFailed) == .failed)
        #expect(S.inProgress.next(on: .roleConflict) == .waiting)
        for state in S.allCases {
            #expect(state.next(on: .triggerCheck) == (state == .succeeded ? .succeeded : .waiting))
        }
        // A sample of illegal moves: nothing skips In-Progress, nothing leaves Succeeded.
        #expect(S.frozen.next(on: .checkSucceeded) == nil)
        #expect(S.waiting.next(on: .checkFailed) == nil)
        #expect(S.succeeded.next(on: .sendCheck) == nil)
        #expect(S.failed.next(on: .unfreeze) == nil)
        // Count every legal (state, event) pair: 5 named ones + 5 triggers.
        let legal = S.allCases.flatMap { s in S.Event.allCases.compactMap { s.next(on: $0) } }
        #expect(legal.count == 10)
        #expect(S.inProgress.description == "In-Progress")
    }

    @Test("an illegal transition in a checklist is API misuse and changes nothing")
    func illegalTransitionThrows() throws {
        var checklist = ICEChecklist(local: Fixture.local, remote: Fixture.remote, role: .controlling)
        #expect(throws: ICEError.self) { try checklist.apply(.checkSucceeded, toPair: 0) }
        #expect(checklist.pair(0)?.state == .waiting)  // its initial state (§6.1.2.6), unchanged
        #expect(throws: ICEError.self) { try checklist.apply(.unfreeze, toPair: 99) }
        #expect(throws: ICEError.self) { try checklist.nominate(pair: 0) }
    }

    @Test("nextCheck takes Waiting pairs in priority order, triggered ones first")
    func scheduling() throws {
        var checklist = ICEChecklist(local: Fixture.local, remote: Fixture.remote, role: .controlling)
        checklist.computeInitialStates()
        let step1 = checklist.nextCheck()
        #expect(step1?.id == 0)
        // A request arrives on pair 4 (relay -> host): it jumps the queue.
        let step2 = try checklist.triggerCheck(pair: 4)
        #expect(step2 == .queued(cancelledInFlight: false))
        #expect(checklist.triggeredQueue.pairIDs == [4])
        let step3 = checklist.nextCheck()
        #expect(step3?.id == 4)
        let step4 = checklist.nextCheck()
        #expect(step4?.id == 2) // pair 1 is Frozen
        #expect(checklist.pairs.filter { $0.state == .inProgress }.map(\.id).sorted() == [0, 2, 4])
    }

    @Test("a success unfreezes the Frozen pairs of its foundation")
    func successUnfreezesFoundation() throws {
        var checklist = ICEChecklist(local: Fixture.local, remote: Fixture.remote, role: .controlling)
        checklist.computeInitialStates()
        let step5 = checklist.nextCheck()
        let first = try #require(step5)
        let step6 = try checklist.checkSucceeded(pair: first.id)
        #expect(step6 == [1])
        #expect(checklist.pair(1)?.state == .waiting)
        try checklist.nominate(pair: first.id)
        #expect(checklist.pair(first.id)?.isNominated == true)
    }

    @Test("with nothing Waiting, an idle foundation's Frozen pair is unfrozen")
    func idleUnfreeze() throws {
        var checklist = ICEChecklist(local: [Fixture.l1, Fixture.l1c2], remote: [Fixture.r1, Fixture.r1c2], role: .controlling)
        checklist.computeInitialStates()
        let step7 = checklist.nextCheck()
        let first = try #require(step7)
        // Pair 1 shares foundation 1:a with the in-progress pair: stays Frozen.
        let step8 = checklist.nextCheck()
        #expect(step8 == nil)
        try checklist.apply(.checkFailed, toPair: first.id)
        // Now nothing of 1:a is Waiting or In-Progress: pair 1 is unfrozen and checked.
        let step9 = checklist.nextCheck()
        #expect(step9?.id == 1)
        try checklist.apply(.checkFailed, toPair: 1)
        #expect(checklist.isFinished)
    }

    @Test("a triggered check cancels an in-flight one, revives a failed one, ignores a succeeded one")
    func triggeredCheckCases() throws {
        var checklist = ICEChecklist(local: Fixture.local, remote: Fixture.remote, role: .controlling)
        checklist.computeInitialStates()
        let step10 = checklist.nextCheck()
        let inFlight = try #require(step10)
        let step11 = try checklist.triggerCheck(pair: inFlight.id)
        #expect(step11 == .queued(cancelledInFlight: true))
        #expect(checklist.pair(inFlight.id)?.state == .waiting)
        // Queued once only.
        let step12 = try checklist.triggerCheck(pair: inFlight.id)
        #expect(step12 == .queued(cancelledInFlight: false))
        #expect(checklist.triggeredQueue.count == 1)
        _ = checklist.nextCheck()
        try checklist.apply(.checkFailed, toPair: inFlight.id)
        let step13 = try checklist.triggerCheck(pair: inFlight.id)
        #expect(step13 == .queued(cancelledInFlight: false))
        _ = checklist.nextCheck()
        try checklist.checkSucceeded(pair: inFlight.id)
        let step14 = try checklist.triggerCheck(pair: inFlight.id)
        #expect(step14 == .alreadySucceeded)
        #expect(checklist.triggeredQueue.isEmpty)
    }

    @Test("the triggered-check queue is FIFO without duplicates")
    func queue() {
        var queue = ICETriggeredCheckQueue()
        let added = [queue.enqueue(3), queue.enqueue(1), queue.enqueue(3)]
        #expect(added == [true, true, false])
        queue.remove(1)
        let addedAgain = queue.enqueue(2)
        #expect(addedAgain && queue.contains(2) && queue.pairIDs == [3, 2])
        let drained = [queue.dequeue(), queue.dequeue(), queue.dequeue()]
        #expect(drained == [3, 2, nil])
    }

    @Test("a role switch recomputes priorities and re-sorts, keeping ids and states")
    func roleSwitch() throws {
        var checklist = ICEChecklist(local: Fixture.local, remote: Fixture.remote, role: .controlling)
        checklist.computeInitialStates()
        let before = Dictionary(uniqueKeysWithValues: checklist.pairs.map { ($0.id, $0.state) })
        checklist.switchRole(to: .controlled)
        #expect(checklist.role == .controlled)
        // Host/srflx loses its tie bit: 7277816997797167103 -> ...102.
        #expect(checklist.pair(3)?.priority == 7_277_816_997_797_167_102)
        // The IPv6 pair gains one: G = 2130706431 (peer) > D = 2130706175 (ours).
        #expect(checklist.pair(2)?.priority == 9_151_313_343_271_665_663)
        #expect(Dictionary(uniqueKeysWithValues: checklist.pairs.map { ($0.id, $0.state) }) == before)
        #expect(checklist.pairs.map(\.priority) == checklist.pairs.map(\.priority).sorted(by: >))
    }

    @Test("a 487 sends the pair back to Waiting at the head of the queue")
    func roleConflictRetry() throws {
        var checklist = ICEChecklist(local: Fixture.local, remote: Fixture.remote, role: .controlling)
        checklist.computeInitialStates()
        let step15 = checklist.nextCheck()
        let pair = try #require(step15)
        try checklist.roleConflict(pair: pair.id)
        #expect(checklist.pair(pair.id)?.state == .waiting)
        let step16 = checklist.nextCheck()
        #expect(step16?.id == pair.id)
    }

    @Test("late candidates join in priority order, once, within the limit")
    func addingPairs() {
        var checklist = ICEChecklist(local: [Fixture.l1, Fixture.l3], remote: [Fixture.r2], role: .controlling)
        let id = checklist.add(local: Fixture.l1, remote: Fixture.r1)
        #expect(id == 2)
        // No other pair of its foundation is Waiting or In-Progress: it waits for a check at once.
        #expect(checklist.pairs.first?.id == 2 && checklist.pairs.first?.state == .waiting)
        let step17 = checklist.add(local: Fixture.l2, remote: Fixture.r1)
        #expect(step17 == 2) // srflx -> base: same pair
        let step18 = checklist.add(local: Fixture.l1, remote: Fixture.r3)
        #expect(step18 == nil) // IPv4 with IPv6
        var full = ICEChecklist(local: [Fixture.l1], remote: [Fixture.r1], role: .controlling, maximumPairs: 1)
        let step19 = full.add(local: Fixture.l3, remote: Fixture.r1)
        #expect(step19 == nil)
    }
}
