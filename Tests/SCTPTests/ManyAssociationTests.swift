#if canImport(Glibc)
import Glibc
#endif
import Wire
import Dispatch
import Testing
@testable import SCTP

@Suite("Many associations")
struct ManyAssociationTests {
    @Test("twenty associations in one process run at once, from four threads, without crossing packets")
    func concurrent() {
        let outcomes = Locked<[Int: Bool]>([:])
        // Four OS threads, five pairs each, every pair pumped in turn: all forty
        // associations are alive and busy in the one usrsctp stack at the same time.
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            do {
                let indices = Array((worker * 5)..<(worker * 5 + 5))
                let pairs = try indices.map { try SCTPPair(seed: UInt64($0)) }
                for pair in pairs { try pair.a.connect(); try pair.b.connect() }
                for (pair, pairIndex) in zip(pairs, indices) {
                    for index in 0..<30 {
                        try pair.a.send(indexedPayload(pairIndex * 1000 + index), stream: UInt16(pairIndex), ppid: 53)
                    }
                    pair.loss = 0.05
                }
                let deadline = ContinuousClock.now + .seconds(15)
                while ContinuousClock.now < deadline, pairs.contains(where: { $0.messagesB.count < 30 }) {
                    for pair in pairs { _ = pair.run(timeout: .milliseconds(2)) { false } }
                }
                for (pair, pairIndex) in zip(pairs, indices) {
                    let good = pair.messagesB.map { payloadIndex($0.bytes) } == (0..<30).map { pairIndex * 1000 + $0 }
                        && pair.messagesB.allSatisfy { $0.stream == UInt16(pairIndex) }
                    outcomes.withLock { $0[pairIndex] = good }
                }
            } catch {
                outcomes.withLock { $0[-1 - worker] = false }
            }
        }
        let results = outcomes.withLock { $0 }
        #expect(results.count == 20 && results.values.allSatisfy { $0 }, "\(results)")
    }

    @Test("ids are unique, and a released association leaves the registry")
    func registry() throws {
        var association: SCTPAssociation? = try SCTPAssociation(configuration: .fast())
        let other = try SCTPAssociation(configuration: .fast())
        let id = association!.id
        #expect(id != other.id && id != 0)
        #expect(SCTPRuntime.shared.association(id) === association)
        association = nil
        // The runtime's 10 ms tick holds a strong reference to every live association
        // while it runs: if it was running just then, the last release (and `deinit`)
        // happens on the tick's thread when it finishes (seen under load). Wait for it.
        let deadline = ContinuousClock.now + .seconds(2)
        while SCTPRuntime.shared.association(id) != nil, ContinuousClock.now < deadline { usleep(1000) }
        #expect(SCTPRuntime.shared.association(id) == nil)
    }
}
