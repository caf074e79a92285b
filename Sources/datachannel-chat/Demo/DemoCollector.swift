import MeshAgent
import MeshProtocol

/// Gathers what the demo's agents report: which channels are open, and when each
/// round message was sent and delivered (one process, one clock, so one-way
/// latency is a subtraction).
actor DemoCollector {
    private let agentCount: Int
    private var connected: [String: Set<String>] = [:]
    private var sentAt: [String: ContinuousClock.Instant] = [:]
    private(set) var latenciesMS: [Double] = []
    private var expectedDeliveries = 0
    private var waiters: [(condition: @Sendable (DemoCollector.Snapshot) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []
    private(set) var failures: [String] = []

    /// What the waits look at.
    struct Snapshot: Sendable {
        var connected: [String: Set<String>]
        var delivered: Int
        var expected: Int
    }

    init(agentCount: Int) { self.agentCount = agentCount }

    /// Records one agent's event.
    func record(_ agent: String, _ event: MeshAgentEvent, at now: ContinuousClock.Instant) {
        switch event {
        case let .peerConnected(peer): connected[agent, default: []].insert(peer)
        case let .peerDisconnected(peer): connected[agent, default: []].remove(peer)
        case let .message(_, message, _):
            if let sent = sentAt.removeValue(forKey: message.requestID) { latenciesMS.append((now - sent).milliseconds) }
        case let .error(code, message): failures.append("\(agent): \(code): \(message)")
        default: break
        }
        wake()
    }

    /// Notes that the round message `id` left now.
    func sent(_ id: String, at now: ContinuousClock.Instant) {
        sentAt[id] = now
        expectedDeliveries += 1
    }

    /// True when every agent has every other agent's channel open.
    static func meshComplete(_ snapshot: Snapshot, agents: Int) -> Bool {
        snapshot.connected.count == agents && snapshot.connected.values.allSatisfy { $0.count == agents - 1 }
    }

    /// Waits until `condition` holds, at most `timeout`; returns whether it holds.
    func wait(for timeout: Duration, until condition: @escaping @Sendable (Snapshot) -> Bool) async -> Bool {
        if condition(snapshot) { return true }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.wakeAll()
        }
        await withCheckedContinuation { waiters.append((condition, $0)) }
        timer.cancel()
        return condition(snapshot)
    }

    /// The agents (by name) and the peers they still lack a channel to.
    func missing(of names: [String]) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for name in names {
            let lacking = names.filter { $0 != name && !(connected[name]?.contains($0) ?? false) }
            if !lacking.isEmpty { result[name] = lacking }
        }
        return result
    }

    var snapshot: Snapshot {
        Snapshot(connected: connected, delivered: latenciesMS.count, expected: expectedDeliveries)
    }

    private func wake() {
        let now = snapshot
        var remaining: [(condition: @Sendable (Snapshot) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []
        for waiter in waiters {
            if waiter.condition(now) { waiter.continuation.resume() } else { remaining.append(waiter) }
        }
        waiters = remaining
    }

    private func wakeAll() {
        let all = waiters
        waiters = []
        for waiter in all { waiter.continuation.resume() }
    }
}
