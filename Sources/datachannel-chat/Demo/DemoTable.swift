import Foundation

/// The demo's report as text for a terminal: the ten steps per agent and per
/// pair, then the summary (setup, latency, amortisation).
enum DemoTable {
    static func render(_ report: DemoReport) -> String {
        var out = "datachannel-chat demo: \(report.agents) agents, a full mesh of \(report.connections) connections "
            + "(N(N-1)/2), everything on 127.0.0.1\n\n"
        out += "Steps 1-3, per agent (ms)\n"
        out += pad("  agent", 22) + pad("1 token", 12) + pad("2 websocket", 14) + "3 register\n"
        for agent in report.agentSteps {
            out += pad("  " + agent.agent, 22) + pad(number(agent.tokenMS), 12) + pad(number(agent.websocketMS), 14)
                + number(agent.registerMS) + "\n"
        }
        let pairSteps = Array(DemoReport.stepNames.dropFirst(3))
        out += "\nSteps 4-10, per pair (ms; candidates overlap the ICE checks, so the steps do not add up to the setup)\n"
        out += pad("  offerer → answerer", 26)
        for (index, step) in pairSteps.enumerated() { out += pad("\(index + 4) \(step == "channel_open" ? "open" : step)", 12) }
        out += "setup\n"
        for pair in report.pairs {
            out += pad("  \(pair.offerer) → \(pair.answerer)", 26)
            for step in pairSteps { out += pad(number(pair.stepsMS[step] ?? 0), 12) }
            out += number(pair.setupMS) + "\n"
        }
        let setup = report.setup
        out += "\nSummary\n"
        out += "  connections        \(report.connections) for \(report.agents) agents = N(N-1)/2\n"
        out += "  setup per pair     median \(number(setup.perPairMedianMS)) ms, mean \(number(setup.perPairMeanMS)) ms\n"
        out += "  setup in total     sequential \(number(setup.sequentialMS)) ms (pairs one after another), "
            + "parallel \(number(setup.parallelMS)) ms (this run: first offer to last channel open)\n"
        out += "  messages           \(report.messages.delivered) of \(report.messages.sent) delivered, one-way latency "
            + "median \(number(report.messages.latencyMSMedian)) ms, p99 \(number(report.messages.latencyMSP99)) ms\n"
        let amortised = report.amortised
        out += "  amortised          one pair's setup (\(number(amortised.setupMSPerPair)) ms) over \(amortised.messages) messages "
            + "= \(number(amortised.perMessageOverheadMS)) ms per message, against \(number(amortised.httpRequestMS)) ms "
            + "per HTTP request: the setup has paid for itself after \(amortised.breakEvenMessages) "
            + "message\(amortised.breakEvenMessages == 1 ? "" : "s")\n"
        return out
    }

    static func pad(_ text: String, _ width: Int) -> String {
        let count = text.count
        return count >= width ? text + " " : text + String(repeating: " ", count: width - count)
    }

    static func number(_ ms: Double) -> String {
        ms >= 100 ? String(format: "%.0f", ms) : ms >= 1 ? String(format: "%.2f", ms) : String(format: "%.3f", ms)
    }
}
