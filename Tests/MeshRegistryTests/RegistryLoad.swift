import Foundation
import ProcessProbe
import Wire
#if canImport(Glibc)
import Glibc
#endif
import MeshProtocol
import MeshRegistry
import NIOWebSocket

/// The registry under load (issue 13, §4): N WebSocket clients with valid tokens
/// register, each sends an offer to K others, every relayed offer is checked at its
/// target, then all leave. Reusable: `RegistryLoadTests` runs it in the suite and
/// `scripts/load.sh` at full size (REGISTRY_LOAD_CLIENTS).
///
/// Client `i` (peer id `load-i`) offers to `load-(i+1)` … `load-(i+K)`, modulo N, so
/// every client sends K offers and is the target of K. An offer's text names its sender,
/// its target and its number; the registry relays text byte for byte, so each target
/// must receive exactly the K texts meant for it, each once: that checks the target,
/// the sender (`peer_id`), the payload and exactly-once delivery in one comparison.
struct RegistryLoad {
    /// How big a run.
    struct Plan: Sendable {
        var clients: Int
        var offersPerClient: Int
        /// The failure bound for each phase (connect and register, relay, leave).
        var phaseTimeout: Duration = .seconds(240)
    }

    /// What happened, with the process's resident memory around it.
    struct Report: Sendable, CustomStringConvertible {
        var clients = 0
        /// Clients whose `register` was answered with `peer_list`.
        var registered = 0
        /// `peer_joined` frames received in all (N(N-1)/2 when presence is complete).
        var joined = 0
        /// Offers sent, and offers received at their target exactly as sent.
        var relayed = 0
        var delivered = 0
        /// Every error frame, unexpected frame, misdelivered or duplicated offer, connection
        /// that failed or ended before its client closed it, and phase that ran out of time.
        var errors: [String] = []
        /// What the registry held once everyone had left.
        var heldAfter = ""
        /// VmRSS in KiB: before the clients connect, the highest seen while they ran,
        /// once they have all left, and then once the allocator has given its free pages
        /// back (`ProcessProbe.releaseFreePages`): what is still in use.
        var residentBefore = 0
        var residentPeak = 0
        var residentAfter = 0
        var residentTrimmed = 0
        var connectTime = Duration.zero
        var relayTime = Duration.zero
        var leaveTime = Duration.zero

        var totalTime: Duration { connectTime + relayTime + leaveTime }

        var description: String {
            "registry load: \(clients) clients, \(registered) registered, \(joined) peer_joined, \(relayed) offers relayed, "
                + "\(delivered) delivered, \(errors.count) errors; held after: \(heldAfter); "
                + "VmRSS \(residentBefore) KiB before, \(residentPeak) KiB peak, \(residentAfter) KiB after, "
                + "\(residentTrimmed) KiB after the allocator's free pages went back; "
                + "connect+register \(Self.seconds(connectTime)), relay \(Self.seconds(relayTime)), "
                + "leave \(Self.seconds(leaveTime)), total \(Self.seconds(totalTime))"
        }

        private static func seconds(_ duration: Duration) -> String {
            let millis = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
            return String(format: "%.2f s", Double(millis) / 1000)
        }
    }

    let registry: RegistryServer
    let port: Int
    /// The registry's signing secret: the driver mints its own tokens, as the agents of
    /// keys mode get theirs, without 500 round trips to `/api/token`.
    let secret: RegistrySecret
    let plan: Plan

    /// The text client `from` sends to client `to` as its `number`th offer.
    static func offer(from: Int, to: Int, number: Int) -> String {
        #"{"type":"offer","peer_id":"load-\#(from)","target_id":"load-\#(to)","payload":{"sdp":"v=0\r\ns=load \#(from) to \#(to) #\#(number)\r\n"}}"#
    }

    /// Runs the plan; never throws: every failure is in the report's errors.
    func run() async -> Report {
        // At least two clients, each offering to at least one other and never to itself.
        let count = max(2, plan.clients), fanOut = max(1, min(plan.offersPerClient, count - 1))
        var report = Report(clients: count)
        ProcessProbe.releaseFreePages()
        report.residentBefore = ProcessProbe.residentKiB()
        let sampler = ProcessMemory.PeakSampler()

        // 1. Connect and register.
        var started = ContinuousClock.now
        let authority = await TokenAuthority(secret: secret)
        var clients: [LoadClient] = []
        for index in 0..<count {
            do {
                let token = try await authority.mint(peerID: "load-\(index)", role: "agent").token
                let client = LoadClient(name: "load-\(index)", url: "ws://127.0.0.1:\(port)/ws?token=\(token)")
                client.send(#"{"type":"register","peer_id":"load-\#(index)"}"#)
                clients.append(client)
            } catch {
                report.errors.append("token for load-\(index): \(error)")
            }
        }
        let allJoined = clients.count * (clients.count - 1) / 2
        let registeredInTime = await Self.waitUntil(plan.phaseTimeout) {
            let tallies = clients.map(\.tally)
            return tallies.allSatisfy { $0.registered } && tallies.reduce(0) { $0 + $1.joined } == allJoined
                || tallies.contains { $0.ended != nil }
        }
        report.connectTime = ContinuousClock.now - started
        if !registeredInTime { report.errors.append("registering: not every client registered and saw every peer_joined in time") }

        // 2. Relay: K offers from each, all at once.
        started = ContinuousClock.now
        for (index, client) in clients.enumerated() {
            for number in 1...fanOut {
                client.send(Self.offer(from: index, to: (index + number) % count, number: number))
                report.relayed += 1
            }
        }
        let expected = report.relayed
        let relayedInTime = await Self.waitUntil(plan.phaseTimeout) {
            clients.reduce(0) { $0 + $1.tally.relayed.count } >= expected || clients.contains { $0.tally.ended != nil }
        }
        report.relayTime = ContinuousClock.now - started
        if !relayedInTime { report.errors.append("relaying: not every offer arrived in time") }
        // Let a duplicate, if the registry made one, arrive before counting.
        try? await Task.sleep(for: .milliseconds(200))
        let tallies = clients.map(\.tally)
        report.registered = tallies.filter(\.registered).count
        report.joined = tallies.reduce(0) { $0 + $1.joined }
        if report.joined != allJoined { report.errors.append("presence: \(report.joined) peer_joined frames, expected \(allJoined)") }
        for (target, tally) in tallies.enumerated() {
            var wanted = Set((1...fanOut).map { Self.offer(from: (target - $0 + count) % count, to: target, number: $0) })
            for text in tally.relayed {
                if wanted.remove(text) != nil {
                    report.delivered += 1
                } else {
                    report.errors.append("load-\(target) got an offer not meant for it, or twice: \(text)")
                }
            }
            for missing in wanted.sorted() { report.errors.append("load-\(target) never got: \(missing)") }
            for problem in tally.problems { report.errors.append("load-\(target) got: \(problem.prefix(300))") }
            if let ended = tally.ended { report.errors.append("load-\(target) ended before leaving: \(ended)") }
        }

        // 3. Leave.
        started = ContinuousClock.now
        for client in clients { client.close() }
        let leftInTime = await Self.waitUntil(plan.phaseTimeout) {
            clients.allSatisfy { $0.tally.ended != nil } && registry.heldSessions.connections == 0
                && registry.heldSessions.queues == 0 && registry.registeredPeers.isEmpty
        }
        report.leaveTime = ContinuousClock.now - started
        report.residentPeak = sampler.stop()
        if !leftInTime { report.errors.append("leaving: connections still open after \(plan.phaseTimeout)") }
        for client in clients {
            switch client.tally.ended {
            case let .failure(error)?: report.errors.append("\(client.name) failed: \(error)")
            case let .success(frame?)? where frame.closeCode != .normalClosure:
                report.errors.append("\(client.name) closed with \(frame.closeCode) \(frame.reason ?? "")")
            default: break
            }
        }
        report.heldAfter = "\(registry.heldSessions), \(registry.registeredPeers.count) registered"
        clients.removeAll()
        // The connections' last tasks and buffers go a moment after their close.
        try? await Task.sleep(for: .milliseconds(500))
        report.residentAfter = ProcessProbe.residentKiB()
        ProcessProbe.releaseFreePages()
        report.residentTrimmed = ProcessProbe.residentKiB()
        return report
    }

    /// Polls `condition` every 50 ms until it holds (true) or `limit` passes (false).
    static func waitUntil(_ limit: Duration, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while !condition() {
            if ContinuousClock.now > deadline { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return true
    }
}

/// VmRSS sampling for the load run (the measures themselves are ProcessProbe's).
enum ProcessMemory {
    /// Samples VmRSS every 100 ms from creation to `stop()`, keeping the highest.
    final class PeakSampler: Sendable {
        private let peak = Locked(ProcessProbe.residentKiB())
        private let task: Locked<Task<Void, Never>?> = Locked(nil)

        init() {
            let sampling = Task { [self] in
                while !Task.isCancelled {
                    let now = ProcessProbe.residentKiB()
                    peak.withLock { $0 = max($0, now) }
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
            task.withLock { $0 = sampling }
        }

        /// Stops sampling; the highest VmRSS seen, in KiB.
        func stop() -> Int {
            task.withLock { $0?.cancel() }
            let now = ProcessProbe.residentKiB()
            return peak.withLock { max($0, now) }
        }
    }
}
