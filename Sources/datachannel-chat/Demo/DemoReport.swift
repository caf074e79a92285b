import Foundation
import MeshAgent

/// What `datachannel-chat demo` measured, in the shape `--json` prints (lesson 09
/// and exercise 08 read these keys): the ten lifecycle steps per agent and per
/// pair, setup time per pair and in total, message latency, and the amortised
/// cost per message against a plain HTTP request.
struct DemoReport: Codable, Sendable, Equatable {
    /// The ten steps, in the order the source lesson lists them.
    static let stepNames = ["token", "websocket", "register", "offer", "answer", "candidates", "ice", "dtls", "sctp", "channel_open"]

    /// One agent's own steps (before any pair exists), in milliseconds.
    struct AgentSteps: Codable, Sendable, Equatable {
        var agent: String
        var tokenMS: Double
        var websocketMS: Double
        var registerMS: Double

        enum CodingKeys: String, CodingKey {
            case agent, tokenMS = "token_ms", websocketMS = "websocket_ms", registerMS = "register_ms"
        }
    }

    /// One pair's steps, in milliseconds, and its whole setup.
    struct Pair: Codable, Sendable, Equatable {
        var offerer: String
        var answerer: String
        /// offer, answer, candidates, ice, dtls, sctp, channel_open.
        var stepsMS: [String: Double]
        /// From the offerer creating the connection to the channel open on both sides.
        var setupMS: Double

        enum CodingKeys: String, CodingKey { case offerer, answerer, stepsMS = "steps_ms", setupMS = "setup_ms" }
    }

    /// Setup over all pairs.
    struct Setup: Codable, Sendable, Equatable {
        var perPairMedianMS: Double
        var perPairMeanMS: Double
        /// The pairs' setups one after another: what a mesh that connects pairs in turn would pay.
        var sequentialMS: Double
        /// What this run took with every pair connecting at once: first offer to last channel open.
        var parallelMS: Double

        enum CodingKeys: String, CodingKey {
            case perPairMedianMS = "per_pair_ms_median", perPairMeanMS = "per_pair_ms_mean"
            case sequentialMS = "sequential_ms", parallelMS = "parallel_ms"
        }
    }

    /// The round of messages, every agent to every other.
    struct Messages: Codable, Sendable, Equatable {
        var sent: Int
        var delivered: Int
        /// One-way: from `send` to delivery at the receiver (one process, one clock).
        var latencyMSMedian: Double
        var latencyMSP99: Double

        enum CodingKeys: String, CodingKey {
            case sent, delivered, latencyMSMedian = "latency_ms_median", latencyMSP99 = "latency_ms_p99"
        }
    }

    /// The source lesson's Exercise 4, measured: one pair's setup spread over M messages.
    struct Amortised: Codable, Sendable, Equatable {
        var messages: Int
        var setupMSPerPair: Double
        var perMessageOverheadMS: Double
        var httpRequestMS: Double
        /// The fewest messages after which the setup costs less per message than one HTTP request.
        var breakEvenMessages: Int

        enum CodingKeys: String, CodingKey {
            case messages, setupMSPerPair = "setup_ms_per_pair", perMessageOverheadMS = "per_message_overhead_ms"
            case httpRequestMS = "http_request_ms", breakEvenMessages = "break_even_messages"
        }
    }

    var agents: Int
    var connections: Int
    var steps: [String]
    var agentSteps: [AgentSteps]
    var pairs: [Pair]
    var setup: Setup
    var messages: Messages
    var amortised: Amortised

    enum CodingKeys: String, CodingKey {
        case agents, connections, steps, agentSteps = "agent_steps", pairs, setup, messages, amortised
    }
}

/// Percentiles and means of measured durations.
enum Statistics {
    /// The median (mean of the middle two for an even count); 0 for none.
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The nearest-rank percentile (`p` in 0...100); 0 for none.
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// The mean; 0 for none.
    static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }
}

extension Duration {
    /// The duration in milliseconds, as a Double.
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
