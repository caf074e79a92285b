// What exercise 08's checks read from a `datachannel-chat demo --json` report: the mesh's
// size, every pair's measured setup, the totals the demo derived from them, and its
// amortisation against an HTTP request. Only these keys are read; the report has more
// (per-step times, message latency), which lesson 09 shows but the model does not predict.

/// The figures of one demo report that exercise 08's model must predict.
struct MeshCostDemoReport: Equatable, Sendable {
    /// One connected pair and its measured setup.
    struct Pair: Equatable, Sendable {
        var offerer: String
        var answerer: String
        /// `setup_ms`: from the offer to the channel open on both sides, rounded to 0.001 ms.
        var setupMS: Double
    }

    /// `agents`.
    var agents: Int
    /// `connections`.
    var connections: Int
    /// `pairs`, in the report's order.
    var pairs: [Pair]
    /// `setup.sequential_ms`: the sum of the pairs' setups.
    var sequentialMS: Double
    /// `amortised.messages`: M.
    var amortisedMessages: Int
    /// `amortised.setup_ms_per_pair`: the setup spread over M (the demo uses the median pair).
    var setupMSPerPair: Double
    /// `amortised.per_message_overhead_ms`.
    var perMessageOverheadMS: Double
    /// `amortised.http_request_ms`.
    var httpRequestMS: Double
    /// `amortised.break_even_messages`.
    var breakEvenMessages: Int

    /// How finely the demo rounds every time it prints (`Double.roundedToMicroseconds` in datachannel-chat).
    static let printedResolutionMS = 0.001

    /// Why a text is not a usable demo report.
    struct ReadError: Error, Equatable, Sendable, CustomStringConvertible {
        /// What is missing or wrong.
        var description: String
    }

    /// Reads the figures from the JSON `text` that `datachannel-chat demo --json` printed.
    static func read(_ text: String) throws -> MeshCostDemoReport {
        let json: MeshCostJSON
        do {
            json = try MeshCostJSON.parse(text)
        } catch {
            throw ReadError(description: "\(error)")
        }
        func number(_ path: String...) throws -> Double {
            var value: MeshCostJSON? = json
            for key in path { value = value?[key] }
            guard let number = value?.number else {
                throw ReadError(description: "no number at \(path.joined(separator: "."))")
            }
            return number
        }
        func count(_ path: String...) throws -> Int {
            var value: MeshCostJSON? = json
            for key in path { value = value?[key] }
            guard let integer = value?.integer, integer >= 0 else {
                throw ReadError(description: "no count (a whole number, not negative) at \(path.joined(separator: "."))")
            }
            return integer
        }
        guard let pairValues = json["pairs"]?.array else { throw ReadError(description: "no array at pairs") }
        let pairs = try pairValues.enumerated().map { index, pair in
            guard let offerer = pair["offerer"]?.string, let answerer = pair["answerer"]?.string,
                  let setup = pair["setup_ms"]?.number else {
                throw ReadError(description: "pairs[\(index)] lacks offerer, answerer or setup_ms")
            }
            return Pair(offerer: offerer, answerer: answerer, setupMS: setup)
        }
        return MeshCostDemoReport(
            agents: try count("agents"), connections: try count("connections"), pairs: pairs,
            sequentialMS: try number("setup", "sequential_ms"), amortisedMessages: try count("amortised", "messages"),
            setupMSPerPair: try number("amortised", "setup_ms_per_pair"),
            perMessageOverheadMS: try number("amortised", "per_message_overhead_ms"),
            httpRequestMS: try number("amortised", "http_request_ms"),
            breakEvenMessages: try count("amortised", "break_even_messages"))
    }

    /// What makes the report unfit to judge a model by (a demo that did not connect every
    /// pair exactly once), or nil when it is consistent.
    var inconsistency: String? {
        var names: Set<String> = []
        var seen: Set<[String]> = []
        for pair in pairs {
            guard pair.offerer != pair.answerer else { return "\(pair.offerer) is paired with itself" }
            let key = [pair.offerer, pair.answerer].sorted()
            guard seen.insert(key).inserted else { return "the pair \(key[0])–\(key[1]) appears twice" }
            names.insert(pair.offerer)
            names.insert(pair.answerer)
        }
        if pairs.count != connections {
            return "it lists \(pairs.count) pairs but says connections \(connections)"
        }
        if agents >= 2, names.count != agents {
            return "its pairs name \(names.count) agents but it says agents \(agents): some agent never connected"
        }
        return nil
    }

    /// The mean of the pairs' measured setups (0 when no pair was measured).
    var meanSetupMS: Double {
        pairs.isEmpty ? 0 : pairs.reduce(0) { $0 + $1.setupMS } / Double(pairs.count)
    }
}
