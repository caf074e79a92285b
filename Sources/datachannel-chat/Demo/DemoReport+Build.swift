import MeshAgent

extension DemoReport {
    /// Builds the report from what the demo measured.
    /// - Parameters:
    ///   - agents: the agents' names in the order they joined, with their timelines.
    ///   - pairs: every pair's spans (see `PairSpans`).
    ///   - origin: the demo's time zero.
    ///   - latenciesMS: one-way latency of every delivered message of the round.
    ///   - sent: messages sent in the round.
    ///   - amortiseOver: M, the messages one pair's setup is spread over (the source lesson's 500).
    ///   - httpRequestMS: the fixed per-request cost compared with (the source lesson's 50 ms).
    init(agents: [(name: String, timeline: MeshTimeline)], pairs: [PairSpans], origin: ContinuousClock.Instant,
         latenciesMS: [Double], sent: Int, amortiseOver: Int, httpRequestMS: Double) {
        func ms(_ from: ContinuousClock.Instant?, _ to: ContinuousClock.Instant?) -> Double {
            guard let from, let to else { return 0 }
            return max(0, (to - from).milliseconds).roundedToMicroseconds
        }
        self.agents = agents.count
        connections = pairs.count
        steps = Self.stepNames
        agentSteps = agents.map { agent in
            let steps = agent.timeline.agent
            return AgentSteps(agent: agent.name, tokenMS: ms(steps.tokenRequested, steps.tokenReceived),
                              websocketMS: ms(steps.tokenReceived, steps.webSocketOpen),
                              registerMS: ms(steps.registerSent, steps.peerListReceived))
        }
        self.pairs = pairs.map { pair in
            var steps: [String: Double] = [:]
            for span in pair.spans where !["token", "websocket", "register"].contains(span.step) {
                steps[span.step] = span.durationMS.roundedToMicroseconds
            }
            return Pair(offerer: pair.offerer, answerer: pair.answerer, stepsMS: steps, setupMS: pair.setupMS.roundedToMicroseconds)
        }
        let setups = pairs.map(\.setupMS)
        let parallel = (pairs.map(\.openEndMS).max() ?? 0) - (pairs.map(\.offerStartMS).min() ?? 0)
        setup = Setup(perPairMedianMS: Statistics.median(setups).roundedToMicroseconds,
                      perPairMeanMS: Statistics.mean(setups).roundedToMicroseconds,
                      sequentialMS: setups.reduce(0, +).roundedToMicroseconds,
                      parallelMS: max(0, parallel).roundedToMicroseconds)
        messages = Messages(sent: sent, delivered: latenciesMS.count,
                            latencyMSMedian: Statistics.median(latenciesMS).roundedToMicroseconds,
                            latencyMSP99: Statistics.percentile(latenciesMS, 99).roundedToMicroseconds)
        let perPair = setup.perPairMedianMS
        let overhead = amortiseOver > 0 ? perPair / Double(amortiseOver) : 0
        amortised = Amortised(messages: amortiseOver, setupMSPerPair: perPair,
                              perMessageOverheadMS: overhead.roundedToMicroseconds, httpRequestMS: httpRequestMS,
                              breakEvenMessages: httpRequestMS > 0 ? Int((perPair / httpRequestMS).rounded(.up)) : 0)
    }
}

extension Double {
    /// Rounded to 3 decimals: milliseconds to the microsecond, which is all a demo on loopback can claim.
    var roundedToMicroseconds: Double { (self * 1000).rounded() / 1000 }
}
