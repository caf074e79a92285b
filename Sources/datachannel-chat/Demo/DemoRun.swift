import Foundation
import MeshAgent
import MeshProtocol
import ToolSupport

/// One run of the demo: N agents join the registry one after another, the mesh
/// forms, and every agent sends one message to every other.
final class DemoRun: Sendable {
    /// What the run measured.
    struct Outcome: Sendable {
        var origin: ContinuousClock.Instant
        var agents: [(name: String, timeline: MeshTimeline)]
        var pairs: [PairSpans]
        var latenciesMS: [Double]
        var sent: Int
    }

    let registryURL: String
    let names: [String]
    let timeout: Duration
    let progress: Bool
    let collector: DemoCollector
    let agents: [MeshAgent]

    init(registryURL: String, agentCount: Int, timeout: Duration, progress: Bool) {
        self.registryURL = registryURL
        names = (1...agentCount).map { "agent-\($0)" }
        self.timeout = timeout
        self.progress = progress
        collector = DemoCollector(agentCount: agentCount)
        agents = names.map { MeshAgent(configuration: MeshAgentConfiguration(registry: registryURL, credentials: .name($0))) }
    }

    func execute() async throws -> Outcome {
        let origin = ContinuousClock.now
        let agentCount = names.count
        for (name, agent) in zip(names, agents) {
            let collector = self.collector
            // Listen before starting, so no event is missed.
            Task { for await event in agent.events { await collector.record(name, event, at: .now) } }
            do {
                try await agent.start()
            } catch {
                throw ChatFailure(.stepFailed, "\(name) could not join the registry: \(error)")
            }
            note("\(name) registered")
        }
        note("waiting for the \(agentCount * (agentCount - 1) / 2) channels of the full mesh ...")
        let complete = await collector.wait(for: timeout) { DemoCollector.meshComplete($0, agents: agentCount) }
        guard complete else {
            let missing = await collector.missing(of: names)
                .sorted { $0.key < $1.key }.map { "\($0.key) lacks \($0.value.joined(separator: ","))" }
            let errors = await collector.failures.prefix(5)
            throw ChatFailure(.stepFailed, "the mesh did not form within \(timeout): " + missing.joined(separator: "; ")
                + (errors.isEmpty ? "" : " (errors: \(errors.joined(separator: "; ")))"))
        }
        note("mesh complete; every agent sends one message to every other ...")
        var sent = 0
        for (name, agent) in zip(names, agents) {
            for peer in names where peer != name {
                let id = "\(name)->\(peer)"
                await collector.sent(id, at: .now)
                do {
                    try await agent.send(MeshMessage(type: "chat", requestID: id, sourceAgent: name, targetAgent: peer,
                                                     payload: ["text": .string("hello \(peer), from \(name)")]), to: peer)
                    sent += 1
                } catch {
                    throw ChatFailure(.stepFailed, "\(name) could not send to \(peer): \(error)")
                }
            }
        }
        let expected = sent
        _ = await collector.wait(for: timeout) { $0.delivered >= expected }
        let timelines = zip(names, agents).map { (name: $0, timeline: $1.timeline) }
        var pairs: [PairSpans] = []
        let byName = Dictionary(uniqueKeysWithValues: timelines.map { ($0.name, $0.timeline) })
        for (name, timeline) in timelines {
            for (peer, steps) in timeline.pairs.sorted(by: { $0.key < $1.key }) where steps.offerer {
                guard let answerer = byName[peer],
                      let spans = PairSpans(offerer: name, offererTimeline: timeline, answerer: peer,
                                            answererTimeline: answerer, origin: origin) else {
                    throw ChatFailure(.stepFailed, "the pair \(name) → \(peer) opened, but a step of its timeline is missing")
                }
                pairs.append(spans)
            }
        }
        return Outcome(origin: origin, agents: timelines, pairs: pairs, latenciesMS: await collector.latenciesMS, sent: sent)
    }

    func stop() async {
        for agent in agents { await agent.stop() }
    }

    private func note(_ line: String) {
        if progress { printError("demo: " + line) }
    }
}
