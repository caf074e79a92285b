import Logging
import Wire
@testable import MeshAgent
import MeshProtocol
import MeshRegistry
import Testing

/// Collects one agent's events as they come, for tests to wait on.
final class EventLog: Sendable {
    private final class Box: Sendable {
        let events = Locked<[MeshAgentEvent]>([])
    }

    private let box = Box()
    private let reader: Task<Void, Never>

    init(_ agent: MeshAgent) {
        let box = self.box
        reader = Task {
            for await event in agent.events { box.events.withLock { $0.append(event) } }
        }
    }

    deinit { reader.cancel() }

    var all: [MeshAgentEvent] { box.events.withLock { $0 } }

    /// Waits until `predicate` holds for the events so far (polling), at most `timeout`.
    @discardableResult
    func wait(_ what: String, timeout: Duration = .seconds(30),
              until predicate: ([MeshAgentEvent]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if predicate(all) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        let ok = predicate(all)
        if !ok { Issue.record("timed out waiting for \(what); events: \(all)") }
        return ok
    }

    func count(_ event: MeshAgentEvent) -> Int { all.filter { $0 == event }.count }

    func connected(_ peer: String) -> Bool { all.contains(.peerConnected(peer)) }

    func messages(from peer: String) -> [MeshMessage] {
        all.compactMap { event in
            if case let .message(from, message, _) = event, from == peer { return message }
            return nil
        }
    }

    func errors(_ code: String) -> [String] {
        all.compactMap { event in
            if case let .error(found, message) = event, found == code { return message }
            return nil
        }
    }
}

/// A registry embedded on 127.0.0.1 and agents pointed at it.
struct MeshHarness {
    let registry: RegistryServer
    let port: Int

    /// A registry in lab mode (names, no key file) on an ephemeral port, or on `port`.
    static func start(port: Int = 0) async throws -> MeshHarness {
        var settings = RegistrySettings()
        settings.host = "127.0.0.1"
        settings.port = port
        // Quiet: the registry's info lines would bury the test output.
        var logger = Logger(label: "mesh.registry")
        logger.logLevel = .warning
        let registry = RegistryServer(settings: settings, logger: logger)
        let bound = try await registry.start()
        return MeshHarness(registry: registry, port: bound)
    }

    var base: String { "http://127.0.0.1:\(port)" }

    /// A configuration for `name` with quick reconnects (tests wait less).
    func configuration(_ name: String) -> MeshAgentConfiguration {
        var configuration = MeshAgentConfiguration(registry: base, credentials: .name(name))
        configuration.reconnectBackoff = .milliseconds(50)...(.milliseconds(800))
        return configuration
    }

    /// An agent for `name`, not started.
    func agent(_ name: String, transport: (any SignalingTransport)? = nil,
               configure: (inout MeshAgentConfiguration) -> Void = { _ in }) -> (MeshAgent, EventLog) {
        var configuration = configuration(name)
        configure(&configuration)
        let agent = MeshAgent(configuration: configuration, host: .shared,
                              transport: transport ?? WebSocketSignalingTransport(), jitter: { 0.5 })
        return (agent, EventLog(agent))
    }

    /// Two agents, "alice" then "bob", started and connected to each other (bob offered).
    func connectedPair() async throws -> (alice: MeshAgent, aliceLog: EventLog, bob: MeshAgent, bobLog: EventLog) {
        let (alice, aliceLog) = agent("alice")
        let (bob, bobLog) = agent("bob")
        try await alice.start()
        try await bob.start()
        await aliceLog.wait("alice connected") { $0.contains(.peerConnected("bob")) }
        await bobLog.wait("bob connected") { $0.contains(.peerConnected("alice")) }
        return (alice, aliceLog, bob, bobLog)
    }

    func stop() async { await registry.stop() }
}

/// Waits until `condition` holds (polling), at most `timeout`; records an issue otherwise.
@discardableResult
func eventually(_ what: String, timeout: Duration = .seconds(30), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    let ok = condition()
    if !ok { Issue.record("timed out waiting for \(what)") }
    return ok
}
