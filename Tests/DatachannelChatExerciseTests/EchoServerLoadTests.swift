import AsyncHTTPClient
import DataChannels
import Foundation
import NIOCore
import Testing
import WebRTC
import Wire
@testable import datachannel_chat

/// The echo server under concurrent offers (issue 13, §4): ECHO_LOAD_CLIENTS of our own
/// RTCPeerConnections (50 by default) POST their offers to one in-process `EchoServer`
/// at once, each opens a channel, sends ECHO_LOAD_MESSAGES messages and checks every
/// echo byte for byte; once they close, the server holds no connection.
@Suite("Echo server load: concurrent offers, all answered and echoed", .serialized)
struct EchoServerLoadTests {
    static var clients: Int {
        ProcessInfo.processInfo.environment["ECHO_LOAD_CLIENTS"].flatMap(Int.init).map { max(1, $0) } ?? 50
    }

    static var messagesPerClient: Int {
        ProcessInfo.processInfo.environment["ECHO_LOAD_MESSAGES"].flatMap(Int.init).map { max(1, $0) } ?? 20
    }

    /// Message `number` of client `client`: text and binary in turn, of sizes from 1 byte
    /// to 4 KiB, each with content no other message has, so a misrouted echo shows.
    static func message(client: Int, number: Int) -> DataChannelMessage {
        let size = 1 + (client * 733 + number * 1031) % 4096
        if number.isMultiple(of: 2) {
            let head = "client \(client) message \(number) "
            return .text(head + String(repeating: "é", count: max(0, size - head.utf8.count) / 2))
        }
        return .binary((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ client &* 13 &+ number) })
    }

    /// What one client saw.
    struct ClientOutcome: Sendable {
        var answered = false
        var echoed = 0
        /// The server's refusal (status and reason) when it was full.
        var refused: String?
        var problem: String?
    }

    /// A running in-process echo server, its URL and its live-connection count.
    struct RunningServer {
        let task: Task<Void, any Error>
        let url: String
        let connections: EchoConnections

        static func start(maxConnections: Int) async throws -> RunningServer {
            let connections = EchoConnections(maxConnections: maxConnections)
            let (listening, listeningSink) = AsyncStream.makeStream(of: String.self)
            let server = EchoServer(address: try TransportAddress(parsing: "127.0.0.1:0"), idleTimeout: .seconds(300),
                                    maxConnections: maxConnections, recorder: try Recorder(pcapPath: nil, keylogPath: nil),
                                    connections: connections, onListening: { listeningSink.yield($0) })
            let task = Task { try await server.run() }
            var address: String?
            for await line in listening {
                address = line
                break
            }
            guard let address else {
                task.cancel()
                throw Failure("the echo server ended before listening: \(await task.result)")
            }
            return RunningServer(task: task, url: "http://\(address)/offer", connections: connections)
        }

        func stop() async {
            task.cancel()
            _ = await task.result
        }
    }

    /// Counts clients past a point, for clients that must all get there before any goes on.
    final class Arrivals: Sendable {
        private let count = Locked(0)

        func arrive() { count.withLock { $0 += 1 } }

        /// Waits until `expected` have arrived (polling; a failure bound of `limit`).
        func wait(for expected: Int, limit: Duration = .seconds(120)) async {
            _ = await waitUntil(limit) { self.count.withLock { $0 } >= expected }
        }
    }

    @Test("every offer is answered, every message echoes back byte for byte, and no connection is left after")
    func concurrentOffers() async throws {
        let server = try await RunningServer.start(maxConnections: 256)
        defer { server.task.cancel() }
        let url = server.url, connections = server.connections

        let count = Self.clients, messages = Self.messagesPerClient
        let host = PeerConnectionHost(name: "echo-load-clients")
        let started = ContinuousClock.now
        let outcomes = await withTaskGroup(of: ClientOutcome.self, returning: [ClientOutcome].self) { group in
            for client in 0..<count {
                group.addTask { await Self.runClient(client, url: url, messages: messages, host: host) }
            }
            var all: [ClientOutcome] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        let exchanged = ContinuousClock.now - started
        // Closed by their clients, the server's connections end (its watch polls every 250 ms).
        let drained = await Self.waitUntil(.seconds(120)) { connections.counts == (0, 0) }
        let answered = outcomes.filter(\.answered).count, echoed = outcomes.reduce(0) { $0 + $1.echoed }
        print("echo load: \(count) offers, \(answered) answered, \(echoed) of \(count * messages) messages echoed, "
              + "\(outcomes.compactMap(\.problem).count) problems, in \(exchanged); server connections after: "
              + "\(connections.counts.live) live, \(connections.counts.reserved) reserved; drained in \(ContinuousClock.now - started - exchanged)")
        for problem in outcomes.compactMap(\.problem).prefix(10) { Issue.record("\(problem)") }
        #expect(answered == count)
        #expect(echoed == count * messages)
        #expect(drained, "the server still holds \(connections.counts.live) connections, \(connections.counts.reserved) slots")
        await server.stop()
    }

    @Test("past --max-connections, the extra offers get 503 while the others echo; closed, the slots come back")
    func overTheLimit() async throws {
        let limit = 4, offered = 8, messages = 5
        let server = try await RunningServer.start(maxConnections: limit)
        defer { server.task.cancel() }
        let host = PeerConnectionHost(name: "echo-limit-clients")
        // Every client holds its connection until all eight have their answer or refusal:
        // none closes early and frees a slot for a later one.
        let posted = Arrivals()
        let outcomes = await withTaskGroup(of: ClientOutcome.self, returning: [ClientOutcome].self) { group in
            for client in 0..<offered {
                group.addTask {
                    await Self.runClient(client, url: server.url, messages: messages, host: host) {
                        posted.arrive()
                        await posted.wait(for: offered)
                    }
                }
            }
            var all: [ClientOutcome] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        for problem in outcomes.compactMap(\.problem) { Issue.record("\(problem)") }
        #expect(outcomes.filter(\.answered).count == limit)
        #expect(outcomes.filter { $0.refused != nil }.count == offered - limit)
        #expect(outcomes.allSatisfy { $0.refused == nil || $0.refused!.hasPrefix("503") }, "\(outcomes.compactMap(\.refused))")
        #expect(outcomes.reduce(0) { $0 + $1.echoed } == limit * messages)
        #expect(await Self.waitUntil(.seconds(120)) { server.connections.counts == (0, 0) },
                "the server still holds \(server.connections.counts)")
        // The slots came back: a full set of clients is answered again.
        let again = await withTaskGroup(of: ClientOutcome.self, returning: [ClientOutcome].self) { group in
            for client in 0..<limit {
                group.addTask { await Self.runClient(100 + client, url: server.url, messages: messages, host: host) }
            }
            var all: [ClientOutcome] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        for problem in again.compactMap(\.problem) { Issue.record("again: \(problem)") }
        #expect(again.allSatisfy { $0.answered && $0.echoed == messages })
        await server.stop()
    }

    /// One client: offer, POST, open, send every message and check its echo, close.
    /// `afterPost` runs once the server has answered or refused, before anything else.
    static func runClient(_ client: Int, url: String, messages: Int, host: PeerConnectionHost,
                          afterPost: @Sendable () async -> Void = {}) async -> ClientOutcome {
        var outcome = ClientOutcome()
        let pc: RTCPeerConnection
        do {
            pc = try await RTCPeerConnection(configuration: PeerConnectionConfiguration(), host: host)
        } catch {
            outcome.problem = "client \(client): no peer connection: \(error)"
            return outcome
        }
        do {
            let channel = try await pc.createDataChannel("load-\(client)")
            let offer = try await pc.createOffer()
            try await pc.setLocalDescription(offer)
            try await EchoClient.within(.seconds(60), "gathering") { await pc.waitForGatheringComplete() }
            let full = try #require(await pc.localDescription)
            let answer: RTCSessionDescription
            do {
                answer = try await post(full, to: url)
                outcome.answered = true
                await afterPost()
            } catch let refusal as Refused {
                outcome.refused = refusal.description
                await afterPost()
                await pc.close()
                return outcome
            }
            try await pc.setRemoteDescription(answer)
            let state = try await EchoClient.within(.seconds(120), "the channel opening") { await channel.waitUntilOpen() }
            guard state == .open else { throw Failure("the channel ended \(state) instead of opening") }
            // Ordered and reliable: the echoes come back in the order sent.
            let echoes = Task { () -> [DataChannelMessage] in
                var got: [DataChannelMessage] = []
                for await message in channel.messages {
                    got.append(message)
                    if got.count == messages { break }
                }
                return got
            }
            for number in 0..<messages { try await channel.send(message(client: client, number: number)) }
            let got = try await EchoClient.within(.seconds(120), "the echoes") { await echoes.value }
            for (number, echo) in got.enumerated() {
                if echo == message(client: client, number: number) {
                    outcome.echoed += 1
                } else if outcome.problem == nil {
                    outcome.problem = "client \(client): echo \(number) differs from what was sent"
                }
            }
            if got.count < messages, outcome.problem == nil {
                outcome.problem = "client \(client): \(got.count) of \(messages) echoes before the channel closed"
            }
        } catch {
            outcome.problem = "client \(client): \(error)"
        }
        await pc.close()
        return outcome
    }

    static func post(_ offer: RTCSessionDescription, to url: String) async throws -> RTCSessionDescription {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(offer)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        let body = try await response.body.collect(upTo: 1 << 20)
        if response.status == .serviceUnavailable {
            throw Refused(description: "\(response.status.code) \(String(buffer: body))")
        }
        guard response.status == .ok else {
            throw Failure("POST /offer: \(response.status.code) \(String(buffer: body))")
        }
        return try JSONDecoder().decode(RTCSessionDescription.self, from: Data(body.readableBytesView))
    }

    /// The server said it is full (503).
    struct Refused: Error, CustomStringConvertible {
        var description: String
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func waitUntil(_ limit: Duration, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while !condition() {
            if ContinuousClock.now > deadline { return false }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return true
    }
}
