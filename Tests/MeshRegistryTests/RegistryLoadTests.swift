import ProcessProbe
import Foundation
import MeshRegistry
import Testing

/// The registry under load (issue 13, §4): REGISTRY_LOAD_CLIENTS WebSocket clients
/// (100 in the suite; `scripts/load.sh` runs 500, about a minute a round on a loaded
/// machine) register, relay REGISTRY_LOAD_OFFERS offers each (10) and leave, in
/// REGISTRY_LOAD_ROUNDS rounds (2) on one registry, in this process beside it. The
/// figures are the whole process's memory, so this suite runs alone (scripts/test.sh's
/// whole-process run; `scripts/load.sh` prints its figures).
@Suite("Registry load: hundreds of clients register, relay and leave", .serialized)
struct RegistryLoadTests {
    static var clients: Int {
        ProcessInfo.processInfo.environment["REGISTRY_LOAD_CLIENTS"].flatMap(Int.init).map { max(2, $0) } ?? 100
    }

    static var offersPerClient: Int {
        ProcessInfo.processInfo.environment["REGISTRY_LOAD_OFFERS"].flatMap(Int.init).map { max(1, $0) } ?? 10
    }

    static var rounds: Int {
        ProcessInfo.processInfo.environment["REGISTRY_LOAD_ROUNDS"].flatMap(Int.init).map { max(2, $0) } ?? 2
    }

    @Test("every client registers, every offer reaches its target once, and nothing is held after they leave")
    func loadAndLeave() async throws {
        let secret = try RegistrySecret(text: String(repeating: "L", count: 48))
        let registry = try await RegistryFixture.start(secret: secret)
        defer { Task { await registry.stop() } }
        // Warm-up: the first connections create NIO's event loop threads' buffers, the
        // allocator's arenas and JWT's tables, which stay for the process's life.
        let warmUp = await RegistryLoad(registry: registry.server, port: registry.port, secret: secret,
                                        plan: .init(clients: 50, offersPerClient: 3)).run()
        #expect(warmUp.errors.isEmpty, "warm-up: \(warmUp.errors.prefix(10))")

        // Two rounds on the same registry: whatever the first leaves in memory for good
        // (the allocator's fragments, NIO's pools) the second reuses; a leak adds again.
        var reports: [RegistryLoad.Report] = []
        for round in 1...Self.rounds {
            let report = await RegistryLoad(registry: registry.server, port: registry.port, secret: secret,
                                            plan: .init(clients: Self.clients, offersPerClient: Self.offersPerClient)).run()
            print("round \(round): \(report)")
            reports.append(report)
            let count = Self.clients, fanOut = min(Self.offersPerClient, count - 1)
            #expect(report.errors.isEmpty, "round \(round): \(report.errors.count) errors, first: \(report.errors.prefix(10))")
            #expect(report.registered == count)
            #expect(report.joined == count * (count - 1) / 2)
            #expect(report.relayed == count * fanOut)
            #expect(report.delivered == count * fanOut)
            // Nothing held: the hub's own count of connections and queues, and the peers.
            #expect(registry.server.heldSessions.connections == 0)
            #expect(registry.server.heldSessions.queues == 0)
            #expect(registry.server.registeredPeers.isEmpty)
        }
        let first = reports[0], last = reports[reports.count - 1], clients = Self.clients
        for report in reports {
            #expect(report.residentPeak - report.residentBefore <= Self.peakBoundKiB(clients: clients),
                    "VmRSS rose by \(report.residentPeak - report.residentBefore) KiB under load")
        }
        #expect(first.residentTrimmed - first.residentBefore <= Self.firstRoundBoundKiB(clients: clients),
                "round 1: VmRSS in use grew by \(first.residentTrimmed - first.residentBefore) KiB")
        #expect(last.residentTrimmed - first.residentTrimmed <= Self.laterRoundsBoundKiB(clients: clients, rounds: reports.count),
                "rounds 2-\(reports.count): VmRSS in use grew by \(last.residentTrimmed - first.residentTrimmed) KiB more")
        await registry.stop()
    }

    // The memory bounds. The exact proof that nothing is held is the hub's own count
    // (connections and queues, 0 after every round). VmRSS is the whole process's (the
    // clients' ends too), measured after glibc's free pages went back to the system
    // (otherwise it stays at its peak whatever was freed). Measured on a loaded 2-core
    // machine (load average 11-13), 2026-12-07:
    //   100 clients: peak +6.4-6.7 MiB; in use after round 1 +2.4-2.6 MiB; over 8 rounds
    //     in use settled: +1.2, +1.0, +0.4, +0.6, +0.6, +0.2, +0.3 MiB per further round;
    //   500 clients: peak +55-75 MiB (110-150 KiB per client); in use after round 1
    //     +19-25 MiB (the allocator's part-used pages; NIO's pools), round 2 +6 MiB more.
    // Each bound is 2 to 5 times its measure, plus a sanitizer's own memory when one is
    // in the process (ProcessProbe.memorySlackKiB; 0 in the plain build). A registry that kept each closed session's
    // memory (its share of the 110-150 KiB a client costs at the peak) goes past the
    // later-rounds bound within a few rounds; a hub that kept sessions fails the count at once.

    /// Under load: 512 KiB per client (the send queue caps a slow reader at 1024 frames).
    static func peakBoundKiB(clients: Int) -> Int { 512 * clients + ProcessProbe.memorySlackKiB }

    /// After the first round, in use: 8 MiB plus 96 KiB per client.
    static func firstRoundBoundKiB(clients: Int) -> Int { 8 * 1024 + 96 * clients + ProcessProbe.memorySlackKiB }

    /// Each round after the first: 32 KiB per client (measured: 12-13 KiB, then less).
    static func laterRoundsBoundKiB(clients: Int, rounds: Int) -> Int {
        32 * clients * (rounds - 1) + ProcessProbe.memorySlackKiB
    }
}
