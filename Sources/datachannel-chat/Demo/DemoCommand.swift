import ArgumentParser
import Foundation
import Logging
import MeshAgent
import MeshProtocol
import MeshRegistry
import ToolSupport

/// `datachannel-chat demo`: the main job. A registry and N agents in one process
/// form a full mesh on loopback; the ten lifecycle steps are timed for every pair.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "A mesh of N agents on loopback, with the ten setup steps timed for every pair.",
        discussion: """
        Starts a signaling registry (lab mode, a random secret, 127.0.0.1 on a port the kernel picks) and N agents \
        in this process. They join one after another, as agents do: each takes a token (1), opens the WebSocket (2) \
        and registers (3); the registry's peer list tells it who is there, and it offers to each of them (4), who \
        answer (5); candidates are trickled both ways (6), ICE checks the pairs (7), DTLS authenticates both ends \
        by the fingerprints in the SDP (8), SCTP comes up over DTLS (9) and the "mesh" channel opens with DCEP (10). \
        Every agent then sends one message to every other agent.

        It prints the ten steps for each agent and pair (milliseconds), then: the number of connections, N(N-1)/2; \
        the setup per pair, and in total both sequential (the pairs' setups one after another) and parallel (this \
        run, every pair at once); the one-way message latency; and the amortised cost of one pair's setup over \
        --amortise-over messages against a --http-ms request (the source lesson's Exercise 4, measured).

        Everything stays on 127.0.0.1; nothing is sent anywhere else.

        EXAMPLES:
          datachannel-chat demo
          datachannel-chat demo --agents 10 --timeline mesh.svg
          datachannel-chat demo --json | python3 -m json.tool

        EXIT CODES:
        \(ChatExit.helpTable([
            .success: "the mesh formed and every message was delivered",
            .stepFailed: "an agent failed to join, no full mesh in --timeout, or a lost message",
            .usage: "bad arguments",
            .localFailure: "local failure: the embedded registry, or the --timeline file",
        ]))
        """
    )

    @Option(help: ArgumentHelp("Agents in the mesh (2...50).", valueName: "n"))
    var agents: Int = 5

    @Flag(help: "Print the report as one JSON object (the keys lesson 09 and exercise 08 read).")
    var json = false

    @Option(help: ArgumentHelp("Draw the setup as an SVG timeline (one lane per pair) into this file.", valueName: "file.svg"))
    var timeline: String?

    @Option(help: ArgumentHelp("M: the messages one pair's setup is amortised over (1...10000000).", valueName: "m"))
    var amortiseOver: Int = 500

    @Option(help: ArgumentHelp("The per-request cost of the HTTP alternative, in ms (0.001...600000).", valueName: "ms"))
    var httpMs: Double = 50

    @Option(help: ArgumentHelp("Give up if the mesh or the round of messages is not complete after this many seconds (1...600).",
                               valueName: "s"))
    var timeout: Double = 60

    func validate() throws {
        guard (2...50).contains(agents) else { throw ValidationError("--agents must be 2...50") }
        guard (1...10_000_000).contains(amortiseOver) else { throw ValidationError("--amortise-over must be 1...10000000") }
        guard httpMs >= 0.001, httpMs <= 600_000 else { throw ValidationError("--http-ms must be 0.001...600000") }
        guard (1...600).contains(timeout) else { throw ValidationError("--timeout must be 1...600 seconds") }
        if let timeline, timeline.isEmpty { throw ValidationError("--timeline needs a file name") }
    }

    func run() async throws {
        // Check the output file before any work, so a typo costs nothing.
        if let timeline, !FileManager.default.createFile(atPath: timeline, contents: nil) {
            throw ChatFailure(.localFailure, "cannot write --timeline file \(timeline)")
        }
        var settings = RegistrySettings()
        settings.host = "127.0.0.1"
        settings.port = 0
        var logger = Logger(label: "demo.registry")
        logger.logLevel = .error   // the report is the output; the registry's notices are not
        let registry = RegistryServer(settings: settings, logger: logger)
        let port: Int
        do {
            port = try await registry.start()
        } catch {
            throw ChatFailure(.localFailure, "cannot start the embedded registry: \(error)")
        }
        let run = DemoRun(registryURL: "http://127.0.0.1:\(port)", agentCount: agents,
                          timeout: .milliseconds(Int64(timeout * 1000)), progress: !json)
        let outcome: DemoRun.Outcome
        do {
            outcome = try await run.execute()
        } catch {
            await run.stop()
            await registry.stop()
            throw error
        }
        await run.stop()
        await registry.stop()

        let report = DemoReport(agents: outcome.agents, pairs: outcome.pairs, origin: outcome.origin,
                                latenciesMS: outcome.latenciesMS, sent: outcome.sent, amortiseOver: amortiseOver,
                                httpRequestMS: httpMs)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(DemoTable.render(report))
        }
        if let timeline {
            let svg = TimelineSVG.render(pairs: outcome.pairs, title: "datachannel-chat demo: \(agents) agents, "
                + "\(outcome.pairs.count) connections, setup on 127.0.0.1")
            do {
                try Data(svg.utf8).write(to: URL(fileURLWithPath: timeline))
            } catch {
                throw ChatFailure(.localFailure, "cannot write --timeline file \(timeline): \(error.localizedDescription)")
            }
            if !json { print("timeline written to \(timeline)") }
        }
        if outcome.latenciesMS.count < outcome.sent {
            throw ChatFailure(.stepFailed, "\(outcome.sent - outcome.latenciesMS.count) of \(outcome.sent) messages were not delivered")
        }
    }
}
