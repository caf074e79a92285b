import Foundation
import Testing

@Suite("ice-check with no subcommand: two agents over loopback UDP")
struct LoopbackRunTests {
    @Test("connects, shows every candidate with its priority formula worked out, the selected pair and the time")
    func connects() throws {
        let run = try IceCheck.run([])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("two ICE agents (RFC 8445) in one process, over real loopback UDP"))
        let formulas = run.stdout.split(separator: "\n").filter { $0.contains(" host ") && $0.contains("2^24×") }
        #expect(formulas.count >= 2, "no host candidate lines in:\n\(run.stdout)")
        for line in formulas {
            // "left   host   127.0.0.1:40000   2^24×126 + 2^8×65534 + (256−1) = 2130706175": the arithmetic must hold.
            let numbers = try #require(FormulaLine(String(line)), "unreadable formula line: \(line)")
            #expect(numbers.type == 126)
            #expect(numbers.holds, "the formula does not add up: \(line)")
        }
        #expect(run.stdout.contains("127.0.0.1:"))
        #expect(run.stdout.contains("Checklist of left (controlling"))
        #expect(run.stdout.contains("Selected pair"))
        #expect(run.stdout.contains("agent state completed"))
        #expect(run.stdout.range(of: #"Outcome: connected: selected pair host/host .*completed in \d+\.\d{3} ms"#,
                                 options: .regularExpression) != nil, "\(run.stdout.suffix(400))")
    }

    @Test("--json prints one object with the agents, their candidates and checklists, the events and the selected pair")
    func json() throws {
        let run = try IceCheck.run(["--json"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let object = try run.json()
        #expect(object["mode"] as? String == "loopback")
        #expect(object["connected"] as? Bool == true)
        #expect((object["total_ms"] as? Double).map { $0 > 0 && $0 < 15_000 } == true)
        let selected = try #require(object["selected_pair"] as? [String: Any])
        #expect(selected["local_type"] as? String == "host" && selected["nominated"] as? Bool == true)
        let agents = try #require(object["agents"] as? [[String: Any]])
        #expect(agents.map { $0["role"] as? String } == ["controlling", "controlled"])
        for agent in agents {
            let candidates = try #require(agent["candidates"] as? [[String: Any]])
            #expect(!candidates.isEmpty)
            for candidate in candidates {
                let priority = try #require(candidate["priority"] as? Int)
                #expect(candidate["formula"] as? String == FormulaLine.text(priority))
            }
            #expect(!((agent["checklist"] as? [[String: Any]]) ?? []).isEmpty)
            #expect(agent["state"] as? String == "completed")
        }
        let events = try #require(object["events"] as? [[String: Any]])
        #expect(events.contains { $0["kind"] as? String == "selected" })
        #expect(events.contains { $0["kind"] as? String == "check" })
    }

    @Test("--use-exercise with the untouched starter stops with its own exit code and one line")
    func exerciseStarter() throws {
        let run = try IceCheck.run(["--use-exercise"])
        #expect(run.status == 8)
        #expect(run.errorLines.count == 1)
        #expect(run.stderr.contains("exercises/03-candidate-priority") && run.stderr.contains("not implemented"))
        #expect(run.stdout.isEmpty)
    }

    @Test("--loss without --simulate is a usage error on one line")
    func lossNeedsSimulate() throws {
        let run = try IceCheck.run(["--loss", "0.2"])
        #expect(run.status == 2)
        #expect(run.errorLines.count == 1)
    }
}

/// "… 2^24×126 + 2^8×65534 + (256−1) = 2130706175" taken apart.
struct FormulaLine {
    let type: Int, local: Int, component: Int, priority: Int

    init?(_ line: String) {
        guard let range = line.range(of: #"2\^24×(\d+) \+ 2\^8×(\d+) \+ \(256−(\d+)\) = (\d+)"#, options: .regularExpression)
        else { return nil }
        let numbers = line[range].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        // The regex holds the literals 2, 24, 2, 8, 256 too: the last four numbers after them are ours.
        guard numbers.count == 9 else { return nil }
        (type, local, component, priority) = (numbers[2], numbers[5], numbers[7], numbers[8])
    }

    /// True when the three terms add up to the priority printed.
    var holds: Bool { (type << 24) + (local << 8) + (256 - component) == priority }

    /// The formula the tool should print for `priority`.
    static func text(_ priority: Int) -> String {
        "2^24×\(priority >> 24) + 2^8×\((priority >> 8) & 0xFFFF) + (256−\(256 - (priority & 0xFF))) = \(priority)"
    }
}
