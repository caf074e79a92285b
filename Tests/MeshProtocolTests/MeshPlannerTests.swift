import MeshProtocol
import Testing

@Suite("Mesh planner rules (glare, early candidates, backoff)")
struct MeshPlannerTests {
    @Test("glare: exactly one of the two agents keeps its offer, the same one seen from both sides")
    func glareIsDecidedOnce() {
        let pairs = [("alice", "bob"), ("agent-10", "agent-9"), ("Z", "a"), ("a", "a-"), ("é", "z"), ("", "x")]
        for (x, y) in pairs {
            let xWins = MeshPlanner.localOfferWins(localID: x, remoteID: y)
            let yWins = MeshPlanner.localOfferWins(localID: y, remoteID: x)
            #expect(xWins != yWins, "\(x) vs \(y)")
            let xAction = MeshPlanner.onOffer(localID: x, remoteID: y, phase: .offering)
            let yAction = MeshPlanner.onOffer(localID: y, remoteID: x, phase: .offering)
            #expect(Set([xAction, yAction]) == [.ignore, .replaceAndAnswer], "\(x) vs \(y)")
        }
        // Byte order, as JavaScript compares ASCII: "Z" (0x5A) before "a" (0x61), "agent-10" before "agent-9".
        #expect(MeshPlanner.localOfferWins(localID: "Z", remoteID: "a"))
        #expect(MeshPlanner.localOfferWins(localID: "agent-10", remoteID: "agent-9"))
        #expect(MeshPlanner.onOffer(localID: "alice", remoteID: "bob", phase: .offering) == .ignore)
        #expect(MeshPlanner.onOffer(localID: "bob", remoteID: "alice", phase: .offering) == .replaceAndAnswer)
    }

    @Test("an offer with nothing under way is answered; a repeated offer replaces the old connection")
    func offersOutsideGlare() {
        #expect(MeshPlanner.onOffer(localID: "a", remoteID: "b", phase: nil) == .answer)
        #expect(MeshPlanner.onOffer(localID: "a", remoteID: "b", phase: .answering) == .replaceAndAnswer)
        #expect(MeshPlanner.onOffer(localID: "a", remoteID: "b", phase: .open) == .replaceAndAnswer)
    }

    @Test("candidates: applied with a remote description, kept before it, dropped while discarding a glare loser's")
    func candidateRules() {
        #expect(MeshPlanner.onCandidate(phase: nil, hasRemoteDescription: false, discarding: false) == .buffer)
        #expect(MeshPlanner.onCandidate(phase: .offering, hasRemoteDescription: false, discarding: false) == .buffer)
        #expect(MeshPlanner.onCandidate(phase: .offering, hasRemoteDescription: true, discarding: false) == .apply)
        #expect(MeshPlanner.onCandidate(phase: .answering, hasRemoteDescription: true, discarding: false) == .apply)
        #expect(MeshPlanner.onCandidate(phase: .offering, hasRemoteDescription: false, discarding: true) == .discard)
        #expect(MeshPlanner.acceptsAnswer(phase: .offering, awaitingAnswer: true))
        #expect(!MeshPlanner.acceptsAnswer(phase: .offering, awaitingAnswer: false))
        #expect(!MeshPlanner.acceptsAnswer(phase: .answering, awaitingAnswer: true))
        #expect(!MeshPlanner.acceptsAnswer(phase: nil, awaitingAnswer: false))
    }

    @Test("early candidates are kept in order per peer, within both bounds, and counted when refused")
    func pendingCandidatesAreBounded() {
        var pending = MeshPendingCandidates(perPeerLimit: 3, peerLimit: 2)
        for index in 0..<5 {
            let kept = pending.add(CandidatePayload(candidate: "candidate:\(index)"), for: "alice")
            #expect(kept == (index < 3))
        }
        let bobKept = pending.add(CandidatePayload(candidate: "candidate:b"), for: "bob")
        #expect(bobKept)
        let carolKept = pending.add(CandidatePayload(candidate: "candidate:c"), for: "carol")
        #expect(!carolKept, "a third peer is over peerLimit")
        #expect(pending.droppedCount == 3)
        #expect(pending.totalCount == 4)
        let alices = pending.take(for: "alice").map(\.candidate)
        #expect(alices == ["candidate:0", "candidate:1", "candidate:2"])
        #expect(pending.count(for: "alice") == 0)
        let carolLater = pending.add(CandidatePayload(candidate: "candidate:c"), for: "carol")
        #expect(carolLater, "room again once alice's were taken")
        pending.discard(for: "bob")
        let bobs = pending.take(for: "bob")
        #expect(bobs.isEmpty)
    }

    @Test("backoff doubles from the lower bound up to the cap, and never overflows")
    func backoffSchedule() {
        let backoff = MeshBackoff(range: .milliseconds(250)...(.seconds(8)))
        let waits = (0..<8).map { backoff.delay(afterFailures: $0) }
        #expect(waits == [.milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(4),
                          .seconds(8), .seconds(8), .seconds(8)])
        #expect(backoff.delay(afterFailures: Int.max) == .seconds(8))
        #expect(backoff.delay(afterFailures: -3) == .milliseconds(250))
        #expect(backoff.delay(afterFailures: 2, jitter: 0) == .milliseconds(500))
        #expect(backoff.delay(afterFailures: 2, jitter: 1) == .seconds(1))
        #expect(backoff.delay(afterFailures: 2, jitter: 7) == .seconds(1), "jitter is clamped")
        let inverted = MeshBackoff(range: .seconds(2)...(.seconds(2)))
        #expect(inverted.delay(afterFailures: 5) == .seconds(2))
    }
}
