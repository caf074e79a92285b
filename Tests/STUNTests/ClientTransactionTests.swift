import Testing
import Wire
@testable import STUN

@Suite("Client transaction: RFC 8489 §6.2.1 retransmission schedule in virtual time")
struct ClientTransactionTests {
    let id = try! TransactionID(bytes: Array(repeating: 3, count: 12))

    @Test("default policy: sends at 0, 500, 1500, 3500, 7500, 15500, 31500 ms, fails at 39500 ms")
    func defaultSchedule() {
        var client = STUNClient(localAddress: Addresses.client, random: SplitMix64(seed: 1))
        let id = client.sendBindingRequest(to: Addresses.server, at: .zero)
        var sends: [Int64] = client.drain().datagrams.map { _ in 0 }
        var retransmissions: [Int] = []
        var failure: (at: Instant, transmissions: Int)?
        while let deadline = client.nextTimeout {
            let out = client.feed(.timeout(deadline))
            sends += out.datagrams.map { _ in deadline.nanoseconds / 1_000_000 }
            for event in out.events {
                switch event {
                case let .retransmitted(eventID, transmission, at):
                    #expect(eventID == id && at == deadline)
                    retransmissions.append(transmission)
                case let .timedOut(eventID, transmissions, at):
                    #expect(eventID == id)
                    failure = (at, transmissions)
                default:
                    Issue.record("unexpected \(event)")
                }
            }
        }
        #expect(sends == [0, 500, 1500, 3500, 7500, 15500, 31500])
        #expect(retransmissions == [2, 3, 4, 5, 6, 7])
        #expect(failure?.at == .milliseconds(39500))
        #expect(failure?.transmissions == 7)
        #expect(client.pendingCount == 0)
    }

    @Test("the policy describes the same schedule")
    func policySchedule() {
        let schedule = STUNRetransmissionPolicy.rfc8489.schedule
        #expect(schedule.sends.map(\.milliseconds) == [0, 500, 1500, 3500, 7500, 15500, 31500])
        #expect(schedule.giveUp == .milliseconds(39500))
        let short = STUNRetransmissionPolicy(initialRTO: .milliseconds(10), maxTransmissions: 3, finalWaitMultiplier: 4).schedule
        #expect(short.sends.map(\.milliseconds) == [0, 10, 30])
        #expect(short.giveUp == .milliseconds(70))
    }

    @Test("the state machine names what it waits for, and ignores early timeouts")
    func states() {
        let policy = STUNRetransmissionPolicy(initialRTO: .milliseconds(100), maxTransmissions: 2, finalWaitMultiplier: 3)
        var transaction = STUNClientTransaction(transactionID: id, policy: policy, startingAt: .milliseconds(1000))
        #expect(transaction.state == .expectResponse(retransmitAt: .milliseconds(1100)))
        #expect(transaction.handleTimeout(at: .milliseconds(1099)) == STUNClientTransaction.TimeoutAction.none)
        #expect(transaction.handleTimeout(at: .milliseconds(1100)) == .retransmit(transmission: 2))
        #expect(transaction.state == .expectFinalResponse(giveUpAt: .milliseconds(1400)))
        #expect(transaction.handleTimeout(at: .milliseconds(1399)) == STUNClientTransaction.TimeoutAction.none)
        #expect(transaction.handleTimeout(at: .milliseconds(1400)) == .timedOut(transmissions: 2))
        #expect(transaction.state == .timedOut(at: .milliseconds(1400)))
        #expect(transaction.deadline == nil)
        #expect(transaction.handleResponse(at: .milliseconds(1500)) == nil, "too late: already failed")
    }

    @Test("a response completes the transaction with RTT from the first send")
    func response() {
        var transaction = STUNClientTransaction(transactionID: id, startingAt: .milliseconds(10))
        _ = transaction.handleTimeout(at: .milliseconds(510))
        #expect(transaction.handleResponse(at: .milliseconds(530)) == .milliseconds(520))
        #expect(transaction.transmissions == 2)
        #expect(transaction.state == .completed(at: .milliseconds(530)))
        #expect(transaction.handleResponse(at: .milliseconds(540)) == nil, "a duplicate does not complete twice")
        #expect(transaction.handleTimeout(at: .seconds(100)) == STUNClientTransaction.TimeoutAction.none)
    }

    @Test("a late timer shifts later sends instead of bursting")
    func lateTimer() {
        var transaction = STUNClientTransaction(transactionID: id, startingAt: .zero)
        #expect(transaction.handleTimeout(at: .milliseconds(900)) == .retransmit(transmission: 2))
        #expect(transaction.deadline == .milliseconds(1900))
    }

    @Test("Rc = 1 sends once and waits Rm x RTO")
    func singleSend() {
        let policy = STUNRetransmissionPolicy(initialRTO: .milliseconds(50), maxTransmissions: 1, finalWaitMultiplier: 2)
        var transaction = STUNClientTransaction(transactionID: id, policy: policy, startingAt: .zero)
        #expect(transaction.state == .expectFinalResponse(giveUpAt: .milliseconds(100)))
        #expect(transaction.handleTimeout(at: .milliseconds(100)) == .timedOut(transmissions: 1))
    }
}

@Suite("Retransmission policy: clamped so timer arithmetic cannot overflow")
struct RetransmissionPolicyTests {
    @Test("absurd values are clamped and the schedule stays finite")
    func clamps() {
        let policy = STUNRetransmissionPolicy(initialRTO: .seconds(1_000_000), maxTransmissions: 1_000, finalWaitMultiplier: .max)
        #expect(policy.initialRTO == STUNRetransmissionPolicy.maximumRTO)
        #expect(policy.maxTransmissions == 32 && policy.finalWaitMultiplier == 1024)
        #expect(policy.schedule.sends.count == 32)
        let tiny = STUNRetransmissionPolicy(initialRTO: .zero, maxTransmissions: -3, finalWaitMultiplier: 0)
        #expect(tiny.initialRTO == .milliseconds(1) && tiny.maxTransmissions == 1 && tiny.finalWaitMultiplier == 1)
    }
}
