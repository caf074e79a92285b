import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import ToolTestSupport

/// `datachannel-chat demo` run as a student runs it: a registry and agents in one
/// process on loopback. Assertions are on what must hold whatever the machine's
/// speed: the mesh is complete, every message arrives, every step is timed.
@Suite("datachannel-chat demo")
struct DemoToolTests {
    @Test("--json: 3 agents form 3 connections, all 10 steps timed per pair, all 6 messages delivered, and an SVG timeline")
    func jsonReport() throws {
        let svgPath = Programs.temporaryPath("mesh", ".svg")
        defer { try? FileManager.default.removeItem(atPath: svgPath) }
        let run = try Programs.runProduct("datachannel-chat", ["demo", "--agents", "3", "--json", "--timeline", svgPath],
                                          timeout: .seconds(120))
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let report = try run.json()
        #expect(report["agents"] as? Int == 3)
        #expect(report["connections"] as? Int == 3)
        #expect((report["steps"] as? [String])?.count == 10)
        let pairs = try #require(report["pairs"] as? [[String: Any]])
        #expect(pairs.count == 3)
        for pair in pairs {
            let steps = try #require(pair["steps_ms"] as? [String: Double])
            #expect(Set(steps.keys) == ["offer", "answer", "candidates", "ice", "dtls", "sctp", "channel_open"])
            #expect(steps.values.allSatisfy { $0 >= 0 })
            #expect((pair["setup_ms"] as? Double ?? 0) > 0)
        }
        let agentSteps = try #require(report["agent_steps"] as? [[String: Any]])
        #expect(agentSteps.map { $0["agent"] as? String } == ["agent-1", "agent-2", "agent-3"])
        let messages = try #require(report["messages"] as? [String: Any])
        #expect(messages["sent"] as? Int == 6)
        #expect(messages["delivered"] as? Int == 6)
        let setup = try #require(report["setup"] as? [String: Double])
        let sum = pairs.compactMap { $0["setup_ms"] as? Double }.reduce(0, +)
        #expect(abs((setup["sequential_ms"] ?? -1) - sum) < 0.01, "sequential = the sum of the pairs' setups")
        let amortised = try #require(report["amortised"] as? [String: Any])
        #expect(amortised["messages"] as? Int == 500)
        #expect(amortised["http_request_ms"] as? Double == 50)
        let svg = try String(contentsOfFile: svgPath, encoding: .utf8)
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.components(separatedBy: "<title>").count - 1 == 30, "10 spans in each of 3 lanes")
        #expect(XMLParser(data: Data(svg.utf8)).parse(), "the SVG is well-formed XML")
    }

    @Test("the text report names the ten steps and the summary lines")
    func textReport() throws {
        let run = try Programs.runProduct("datachannel-chat", ["demo", "--agents", "2"], timeout: .seconds(120))
        #expect(run.status == 0, "stderr: \(run.stderr)")
        for text in ["1 token", "2 websocket", "3 register", "4 offer", "5 answer", "6 candidates", "7 ice", "8 dtls",
                     "9 sctp", "10 open", "agent-2 → agent-1", "connections        1 for 2 agents", "2 of 2 delivered",
                     "sequential", "parallel", "per HTTP request"] {
            #expect(run.stdout.contains(text), "missing '\(text)'")
        }
        #expect(run.stderr.contains("demo: mesh complete"), "progress goes to stderr")
    }

    @Test("bad arguments get one clear line and exit 2", arguments: [
        ["--agents", "1"], ["--agents", "51"], ["--amortise-over", "0"], ["--http-ms", "0"], ["--timeout", "0"],
    ])
    func badArguments(arguments: [String]) throws {
        let run = try Programs.runProduct("datachannel-chat", ["demo"] + arguments)
        #expect(run.status == 2)
        #expect(run.errorLines.count == 1, "\(run.stderr)")
        #expect(run.stderr.contains("datachannel-chat: error:"))
    }

    @Test("an unwritable --timeline file fails before any work, exit 3")
    func unwritableTimeline() throws {
        let run = try Programs.runProduct("datachannel-chat", ["demo", "--timeline", "/nonexistent-dir/mesh.svg"])
        #expect(run.status == 3)
        #expect(run.stderr.contains("cannot write --timeline file"))
    }
}
