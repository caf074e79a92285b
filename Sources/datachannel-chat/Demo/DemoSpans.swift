import MeshAgent

/// One lifecycle step of one pair as a span on the demo's shared time axis.
struct StepSpan: Sendable, Equatable {
    /// One of `DemoReport.stepNames`.
    var step: String
    /// Milliseconds from the demo's origin (the first token request).
    var startMS: Double
    var endMS: Double

    /// The step's duration (never negative).
    var durationMS: Double { max(0, endMS - startMS) }
}

/// A pair's ten steps, joined from both agents' timelines.
struct PairSpans: Sendable, Equatable {
    var offerer: String
    var answerer: String
    var spans: [StepSpan]

    /// The pair's setup: the offerer creating its connection to the channel open on both sides.
    var setupMS: Double
    /// When the pair's first offer left, and when its channel was open on both sides (axis ms).
    var offerStartMS: Double
    var openEndMS: Double
}

extension PairSpans {
    /// Joins the offerer's and answerer's views of one connection. Nil when a step
    /// is missing (the pair never opened): the demo reports such pairs as failed.
    ///
    /// Where both sides see a step (candidates, ICE, DTLS, SCTP, the channel), the
    /// span runs from the first side to start it to the last side to finish it:
    /// a pair is only usable once both ends are.
    init?(offerer: String, offererTimeline: MeshTimeline, answerer: String, answererTimeline: MeshTimeline,
          origin: ContinuousClock.Instant) {
        guard let mine = offererTimeline.pairs[answerer], let theirs = answererTimeline.pairs[offerer] else { return nil }
        func ms(_ instant: ContinuousClock.Instant?) -> Double? { instant.map { (($0 - origin)).milliseconds } }
        func first(_ a: ContinuousClock.Instant?, _ b: ContinuousClock.Instant?) -> Double? {
            [ms(a), ms(b)].compactMap { $0 }.min()
        }
        func last(_ a: ContinuousClock.Instant?, _ b: ContinuousClock.Instant?) -> Double? {
            let both = [ms(a), ms(b)]
            return both.contains { $0 == nil } ? nil : both.compactMap { $0 }.max()
        }
        let agent = offererTimeline.agent
        guard let tokenStart = ms(agent.tokenRequested), let tokenEnd = ms(agent.tokenReceived),
              let socketEnd = ms(agent.webSocketOpen), let registerStart = ms(agent.registerSent),
              let registerEnd = ms(agent.peerListReceived),
              let created = ms(mine.created), let offerArrived = ms(theirs.offer), let answerArrived = ms(mine.answer),
              let candidatesStart = first(mine.firstCandidate, theirs.firstCandidate),
              let candidatesEnd = [ms(mine.lastCandidate), ms(theirs.lastCandidate)].compactMap({ $0 }).max(),
              let iceStart = first(mine.iceChecking, theirs.iceChecking), let iceEnd = last(mine.iceConnected, theirs.iceConnected),
              let dtlsStart = first(mine.iceConnected, theirs.iceConnected), let dtlsEnd = last(mine.dtlsConnected, theirs.dtlsConnected),
              let sctpStart = first(mine.dtlsConnected, theirs.dtlsConnected), let sctpEnd = last(mine.sctpEstablished, theirs.sctpEstablished),
              let openStart = first(mine.sctpEstablished, theirs.sctpEstablished), let openEnd = last(mine.channelOpen, theirs.channelOpen)
        else { return nil }
        self.offerer = offerer
        self.answerer = answerer
        spans = [
            StepSpan(step: "token", startMS: tokenStart, endMS: tokenEnd),
            StepSpan(step: "websocket", startMS: tokenEnd, endMS: socketEnd),
            StepSpan(step: "register", startMS: registerStart, endMS: registerEnd),
            StepSpan(step: "offer", startMS: created, endMS: offerArrived),
            StepSpan(step: "answer", startMS: offerArrived, endMS: answerArrived),
            StepSpan(step: "candidates", startMS: candidatesStart, endMS: candidatesEnd),
            StepSpan(step: "ice", startMS: iceStart, endMS: iceEnd),
            StepSpan(step: "dtls", startMS: dtlsStart, endMS: dtlsEnd),
            StepSpan(step: "sctp", startMS: sctpStart, endMS: sctpEnd),
            StepSpan(step: "channel_open", startMS: openStart, endMS: openEnd),
        ]
        setupMS = max(0, openEnd - created)
        offerStartMS = created
        openEndMS = openEnd
    }

    /// The span of `step`.
    func span(_ step: String) -> StepSpan? { spans.first { $0.step == step } }
}
