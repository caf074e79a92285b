import Simulation
import STUN
import Testing
import Wire

private let clientAddress = TransportAddress(.v4(10, 0, 0, 1), 40_000)
private let serverAddress = TransportAddress(.v4(192, 0, 2, 1), 3478)
private let oneWay = Duration.milliseconds(25)

/// A STUN client and server on the simulated network, in virtual time: the client
/// transaction's RFC 8489 §6.2.1 schedule checked to the nanosecond under scripted and
/// random loss, and duplicated responses.
@Suite("STUN over the simulated network")
struct STUNOverSimulationTests {
    /// The network, the client and the server of one scenario.
    struct Scenario {
        let network: SimulatedNetwork
        let client: EndpointHandle<STUNClient>
        let server: EndpointHandle<STUNServer>

        init(seed: UInt64, conditions: LinkConditions = .delay(oneWay)) throws {
            network = SimulatedNetwork(seed: seed, conditions: conditions)
            try network.addHost("client", addresses: [clientAddress.ip])
            try network.addHost("server", addresses: [serverAddress.ip])
            var serverRandom = SplitMix64(seed: seed ^ 0x5EED)
            client = try network.attach(STUNClient(localAddress: clientAddress, random: SplitMix64(seed: seed)),
                                        at: clientAddress)
            server = try network.attach(STUNServer(random: &serverRandom), at: serverAddress)
        }

        /// Starts one Binding transaction now and returns its id.
        func startTransaction() -> TransactionID? {
            var started: TransactionID?
            network.modify(client) { client, now in started = client.sendBindingRequest(to: serverAddress, at: now) }
            return started
        }

        var clientEvents: [TimedEvent<STUNClientEvent>] { network.events(of: client) }

        var responses: [(time: Instant, response: STUNClientResponse)] {
            clientEvents.compactMap { event in
                if case let .responseReceived(response) = event.value { return (event.time, response) }
                return nil
            }
        }

        var timeouts: [(time: Instant, transmissions: Int)] {
            clientEvents.compactMap { event in
                if case let .timedOut(_, transmissions, _) = event.value { return (event.time, transmissions) }
                return nil
            }
        }

        /// When the client put a request on the wire.
        var requestTimes: [Instant] { network.trace.sends(from: clientAddress).map(\.time) }

        /// A compact, comparable account of everything the client reported.
        var summary: [String] {
            clientEvents.map { event in
                switch event.value {
                case let .responseReceived(response):
                    return "\(event.time) response \(response.transactionID) rtt \(response.rtt) "
                        + "sends \(response.transmissions) mapped \(response.mappedAddress.map(\.description) ?? "-")"
                case let .retransmitted(id, transmission, _): return "\(event.time) resend \(id) #\(transmission)"
                case let .timedOut(id, transmissions, _): return "\(event.time) timeout \(id) after \(transmissions)"
                case let .dropped(from, reason): return "\(event.time) dropped from \(from): \(reason)"
                default: return "\(event.time) other \(event.value)"
                }
            }
        }
    }

    static func ms(_ values: [Int64]) -> [Instant] { values.map { .milliseconds($0) } }

    /// Arrow labels for ladders: the STUN message type.
    static func stunLabel(_ datagram: Datagram) -> String {
        (try? STUNMessage(parsing: datagram.payload)).map { "\($0.messageType)" } ?? "\(datagram.payload.count) B"
    }

    @Test("without loss one request gets its response at exactly twice the one-way delay")
    func noLoss() throws {
        let scenario = try Scenario(seed: 1)
        let id = try #require(scenario.startTransaction())
        scenario.network.run(until: .seconds(60))
        #expect(scenario.requestTimes == [.zero])
        let (time, response) = try #require(scenario.responses.first)
        #expect(scenario.responses.count == 1)
        #expect(time == Instant.zero + oneWay * 2)
        #expect(response.rtt == oneWay * 2)
        #expect(response.transactionID == id && response.transmissions == 1)
        #expect(response.mappedAddress == clientAddress)
        #expect(scenario.network.events(of: scenario.server).count == 1)
        #expect(scenario.network.endpoint(scenario.client).pendingCount == 0)
    }

    @Test("three lost requests: resends at exactly 0, 500, 1500, 3500 ms, then success")
    func firstThreeLost() throws {
        let scenario = try Scenario(seed: 2)
        scenario.network.addRule(.dropFirst(3, matching: .from(clientAddress, to: serverAddress), name: "lose 3"))
        _ = try #require(scenario.startTransaction())
        scenario.network.run(until: .seconds(60))
        #expect(scenario.requestTimes == Self.ms([0, 500, 1500, 3500]))
        #expect(scenario.network.trace.drops().map(\.time) == Self.ms([0, 500, 1500]))
        let retransmissions = scenario.clientEvents.compactMap { event -> Int? in
            if case let .retransmitted(_, transmission, at) = event.value, at == event.time { return transmission }
            return nil
        }
        #expect(retransmissions == [2, 3, 4])
        let (time, response) = try #require(scenario.responses.first)
        #expect(scenario.responses.count == 1)
        #expect(time == Instant.milliseconds(3500) + oneWay * 2)
        // RFC 8489 gives no way to tell which send a response answers (Karn), so the
        // client measures from the first send; the wire shows the 50 ms path.
        #expect(response.rtt == .milliseconds(3550) && response.transmissions == 4)
        #expect(scenario.network.trace.deliveries(to: clientAddress).map { $0.time - .milliseconds(3500) }
            == [oneWay * 2])
        let ladder = scenario.network.trace.ladder(columns: ["client", "server"], spacing: 40, label: Self.stunLabel)
        print(ladder)
        #expect(ladder.contains(" 1500.000  1500.000  |-- #3 Binding Request -------X         |  dropped: scripted (lose 3)"))
        #expect(ladder.contains(" 3525.000  3550.000  |<-- #5 Binding Success Response -------|"))
    }

    @Test("total loss: seven sends at 0...31500 ms and a time-out at exactly 39500 ms (RFC 8489 §6.2.1)")
    func totalLoss() throws {
        let scenario = try Scenario(seed: 3)
        try scenario.network.setLink(from: "client", to: "server", LinkConditions(delay: oneWay, loss: 1))
        _ = try #require(scenario.startTransaction())
        let clock = ContinuousClock()
        let started = clock.now
        let idle = scenario.network.runUntilIdle(notAfter: .seconds(3600))
        let elapsed = clock.now - started
        print("STUN total-loss transaction: 39.5 simulated s in \(elapsed) of wall time")
        #expect(idle)
        #expect(scenario.requestTimes == Self.ms([0, 500, 1500, 3500, 7500, 15500, 31500]))
        #expect(scenario.network.trace.drops(.loss).count == 7)
        #expect(scenario.timeouts.map(\.time) == [.milliseconds(39500)])
        #expect(scenario.timeouts.map(\.transmissions) == [7])
        #expect(scenario.responses.isEmpty)
        #expect(scenario.network.now == .milliseconds(39500))
        #expect(scenario.network.endpoint(scenario.client).nextTimeout == nil)
        let policy = STUNRetransmissionPolicy.rfc8489.schedule
        #expect(scenario.requestTimes == policy.sends.map { .zero + $0 } && policy.giveUp == .milliseconds(39500))
    }

    @Test("30% random loss both ways: every transaction ends, and a seed replays exactly",
          arguments: [1, 7, 42, 2024, 9001] as [UInt64])
    func randomLoss(seed: UInt64) throws {
        func run() throws -> Scenario {
            let conditions = LinkConditions(delay: oneWay, jitter: .milliseconds(10), loss: 0.3)
            let scenario = try Scenario(seed: seed, conditions: conditions)
            for index in 0..<20 {
                scenario.network.schedule(at: .milliseconds(Int64(index) * 250), on: scenario.client) { client, now in
                    client.sendBindingRequest(to: serverAddress, at: now)
                }
            }
            scenario.network.run(until: .seconds(120))
            return scenario
        }
        let first = try run()
        #expect(first.responses.count + first.timeouts.count == 20)
        #expect(first.network.endpoint(first.client).pendingCount == 0)
        #expect(Set(first.responses.map(\.response.transactionID)).count == first.responses.count)
        #expect(first.responses.count >= 15)  // P(7 sends all fail) = (1 - 0.7^2)^7 ~ 0.9%
        #expect(first.responses.allSatisfy { $0.response.mappedAddress == clientAddress })
        let second = try run()
        #expect(second.network.trace == first.network.trace)
        #expect(second.summary == first.summary)
    }

    @Test("a duplicated response completes the transaction once; the copy is dropped")
    func duplicatedResponse() throws {
        let scenario = try Scenario(seed: 5)
        try scenario.network.setLink(from: "server", to: "client", LinkConditions(delay: oneWay, duplication: 1))
        let id = try #require(scenario.startTransaction())
        scenario.network.run(until: .seconds(60))
        #expect(scenario.network.trace.duplicates.count == 1)
        #expect(scenario.network.trace.deliveries(to: clientAddress).count == 2)
        #expect(scenario.responses.count == 1)
        #expect(scenario.responses.first?.response.transactionID == id)
        let dropped = scenario.clientEvents.compactMap { event -> String? in
            if case let .dropped(_, reason) = event.value { return reason }
            return nil
        }
        #expect(dropped == ["duplicate response for finished transaction \(id)"])
        #expect(scenario.requestTimes == [.zero])
    }
}
