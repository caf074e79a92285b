@testable import datachannel_chat
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import MeshAgent
import Testing

/// Synthetic timelines with known step times, so the report's arithmetic is checked
/// exactly (the demo's own run is checked in MeshToolTests).
@Suite("datachannel-chat demo: report and timeline")
struct DemoReportTests {
    let origin = ContinuousClock.now

    func at(_ ms: Int) -> ContinuousClock.Instant { origin + .milliseconds(ms) }

    /// Two agents: b joins after a and offers to it. Every step 10 ms apart.
    func twoAgents() -> [(name: String, timeline: MeshTimeline)] {
        var a = MeshTimeline()
        a.agent.tokenRequested = at(0); a.agent.tokenReceived = at(2); a.agent.webSocketOpen = at(5)
        a.agent.registerSent = at(5); a.agent.peerListReceived = at(6)
        var b = MeshTimeline()
        b.agent.tokenRequested = at(10); b.agent.tokenReceived = at(12); b.agent.webSocketOpen = at(15)
        b.agent.registerSent = at(15); b.agent.peerListReceived = at(16)
        var offerer = MeshTimeline.PairSteps(offerer: true)
        offerer.created = at(20); offerer.offer = at(21); offerer.answer = at(40)
        offerer.firstCandidate = at(22); offerer.lastCandidate = at(45)
        offerer.iceChecking = at(41); offerer.iceConnected = at(50); offerer.dtlsConnected = at(70)
        offerer.sctpEstablished = at(80); offerer.channelOpen = at(81)
        var answerer = MeshTimeline.PairSteps(offerer: false)
        answerer.created = at(30); answerer.offer = at(30); answerer.answer = at(35)
        answerer.firstCandidate = at(31); answerer.lastCandidate = at(44)
        answerer.iceChecking = at(36); answerer.iceConnected = at(52); answerer.dtlsConnected = at(72)
        answerer.sctpEstablished = at(82); answerer.channelOpen = at(90)
        b.pairs["a"] = offerer
        a.pairs["b"] = answerer
        return [("a", a), ("b", b)]
    }

    @Test("a pair's spans join both sides: from the first side to start a step to the last to finish it")
    func spans() throws {
        let agents = twoAgents()
        let pair = try #require(PairSpans(offerer: "b", offererTimeline: agents[1].timeline, answerer: "a",
                                          answererTimeline: agents[0].timeline, origin: origin))
        #expect(pair.span("token") == StepSpan(step: "token", startMS: 10, endMS: 12))
        #expect(pair.span("offer") == StepSpan(step: "offer", startMS: 20, endMS: 30))
        #expect(pair.span("answer") == StepSpan(step: "answer", startMS: 30, endMS: 40))
        #expect(pair.span("candidates") == StepSpan(step: "candidates", startMS: 22, endMS: 45))
        #expect(pair.span("ice") == StepSpan(step: "ice", startMS: 36, endMS: 52))
        #expect(pair.span("dtls") == StepSpan(step: "dtls", startMS: 50, endMS: 72))
        #expect(pair.span("sctp") == StepSpan(step: "sctp", startMS: 70, endMS: 82))
        #expect(pair.span("channel_open") == StepSpan(step: "channel_open", startMS: 80, endMS: 90))
        #expect(pair.setupMS == 70)
    }

    @Test("a pair missing a step (never opened) gives no spans")
    func incomplete() {
        var agents = twoAgents()
        agents[0].timeline.pairs["b"]?.channelOpen = nil
        #expect(PairSpans(offerer: "b", offererTimeline: agents[1].timeline, answerer: "a",
                          answererTimeline: agents[0].timeline, origin: origin) == nil)
    }

    @Test("the report: N(N-1)/2 connections, sequential = sum, amortised = setup / M, break-even = setup / HTTP, rounded up")
    func report() throws {
        let agents = twoAgents()
        let pair = try #require(PairSpans(offerer: "b", offererTimeline: agents[1].timeline, answerer: "a",
                                          answererTimeline: agents[0].timeline, origin: origin))
        let report = DemoReport(agents: agents, pairs: [pair], origin: origin, latenciesMS: [0.2, 0.4, 0.3],
                                sent: 3, amortiseOver: 500, httpRequestMS: 50)
        #expect(report.connections == 1)
        #expect(report.steps.count == 10)
        #expect(report.agentSteps[1] == .init(agent: "b", tokenMS: 2, websocketMS: 3, registerMS: 1))
        #expect(report.pairs[0].stepsMS["dtls"] == 22)
        #expect(report.setup.sequentialMS == 70)
        #expect(report.setup.parallelMS == 70)
        #expect(report.messages.latencyMSMedian == 0.3)
        #expect(report.amortised.perMessageOverheadMS == 0.14)
        #expect(report.amortised.breakEvenMessages == 2)
        let json = try JSONEncoder().encode(report)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        for key in ["agents", "connections", "steps", "agent_steps", "pairs", "setup", "messages", "amortised"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(try JSONDecoder().decode(DemoReport.self, from: json) == report)
    }

    @Test("the timeline SVG has a lane per pair, a span per step, and escapes names")
    func svg() throws {
        let agents = twoAgents()
        let pair = try #require(PairSpans(offerer: "b", offererTimeline: agents[1].timeline, answerer: "a",
                                          answererTimeline: agents[0].timeline, origin: origin))
        var hostile = pair
        hostile.offerer = "<script>"
        let svg = TimelineSVG.render(pairs: [pair, hostile], title: "demo & test")
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.components(separatedBy: "<title>").count - 1 == 20)
        #expect(!svg.contains("<script>"))
        #expect(svg.contains("demo &amp; test"))
        let parsed = XMLParser(data: Data(svg.utf8))
        #expect(parsed.parse(), "the SVG is well-formed XML")
    }
}
