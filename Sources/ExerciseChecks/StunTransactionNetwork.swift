// The simulated network of exercise 09's checks: a script says what happens to each send
// of the request (lost, or answered after some delay, maybe twice), which stray responses
// arrive and when the driver wakes early; the driver runs a transaction over it in virtual
// time, exactly as a sans-IO caller would, and records what the transaction did.
//
// The same driver runs the student's transaction and the reference model
// (StunTransactionReference.swift), so the expected output of every script, hand-written
// or drawn from a seed, comes from the rules and not from a table that could drift.
import ExerciseInterfaces

/// What happens to the requests of one transaction, and what else arrives.
struct StunNetworkScript {
    /// The transaction's parameters.
    var configuration = StunTransactionConfiguration()
    /// For send number n (1-based), the delays after which an answer to it arrives:
    /// empty means lost, two delays mean the answer is duplicated. Sends not listed get `otherSends`.
    var fates: [Int: [Int]] = [:]
    /// The fate of every send not in `fates`.
    var otherSends: [Int] = []
    /// Responses with another transaction id, arriving at these times (ms).
    var strays: [Int] = []
    /// Times at which the driver calls `tick` although no deadline is due (early wake-ups).
    var earlyTicks: [Int] = []
    /// The script in words, for the failure's input.
    var summary: String

    func fate(ofSend number: Int) -> [Int] { fates[number] ?? otherSends }
}

/// One thing the transaction did, or failed to do, during a run.
enum StunTraceEvent: Equatable {
    /// It asked to send; `isRequest` says whether the bytes were the request's, unchanged.
    case send(at: Int, isRequest: Bool)
    /// It reported `.completed`, with the answer described by `answer`.
    case completed(at: Int, answer: String)
    /// It reported `.timedOut`.
    case timedOut(at: Int)
    /// A call threw: the run stops there.
    case threw(call: String, error: String)
    /// The run could not go on (a deadline that never advances, no end in sight).
    case stuck(String)
}

/// Runs transactions over scripts in virtual time.
enum StunNetwork {
    /// The 12-byte transaction id of every scripted transaction (RFC 5769's sample request's).
    static let transactionID: [UInt8] = [0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae]
    /// A Binding request (RFC 8489 §5) with that id and no attributes.
    static let request: [UInt8] = [0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42] + transactionID
    /// Virtual time stops here: a transaction still running after ten minutes never gives up.
    static let horizon = 600_000
    /// At most this many steps, so a transaction that keeps asking for ticks cannot hang the check.
    static let maximumSteps = 500

    /// The answer to send `number` (copy `copy` when the network duplicates it), with our id.
    static func answer(toSend number: Int, copy: Int) -> StunResponse {
        response(id: transactionID, tag: [UInt8(truncatingIfNeeded: number), UInt8(truncatingIfNeeded: copy)])
    }

    /// A response with `id` and a 4-byte SOFTWARE-style attribute that tells responses apart.
    static func response(id: [UInt8], tag: [UInt8]) -> StunResponse {
        StunResponse(transactionID: id, bytes: [0x01, 0x01, 0x00, 0x08, 0x21, 0x12, 0xa4, 0x42] + id
                        + [0x80, 0x22, 0x00, 0x04] + tag + [0x00, 0x00])
    }

    /// The id of stray response `index`: ours with one byte changed, alternating last and first byte.
    static func strayID(_ index: Int) -> [UInt8] {
        var id = transactionID
        let position = index % 2 == 0 ? 11 : 0
        id[position] ^= UInt8(truncatingIfNeeded: 1 + index)
        return id
    }

    private struct Arrival {
        var at: Int
        var order: Int
        var response: StunResponse
        var label: String
    }

    /// Runs a fresh `Transaction` over `script` and returns what it did, in order.
    static func run<Transaction: StunTransactionExercise>(_: Transaction.Type, _ script: StunNetworkScript) -> [StunTraceEvent] {
        var transaction = Transaction(request: request, transactionID: transactionID, configuration: script.configuration)
        var events: [StunTraceEvent] = []
        var arrivals: [Arrival] = []
        var labels: [StunResponse: String] = [:]
        var sends = 0
        var order = 0

        func schedule(_ response: StunResponse, at time: Int, label: String) {
            order += 1
            arrivals.append(Arrival(at: time, order: order, response: response, label: label))
            labels[response] = label
        }
        for (index, time) in script.strays.enumerated() {
            schedule(response(id: strayID(index), tag: [0xEE, UInt8(truncatingIfNeeded: index)]), at: time,
                     label: "the stray response (another transaction id) that arrived at \(time) ms")
        }
        func apply(_ actions: [StunTransactionAction], at now: Int) {
            for action in actions {
                switch action {
                case let .send(bytes):
                    sends += 1
                    events.append(.send(at: now, isRequest: bytes == request))
                    for (copy, delay) in script.fate(ofSend: sends).enumerated() {
                        schedule(answer(toSend: sends, copy: copy), at: now + delay,
                                 label: copy == 0 ? "the answer to send #\(sends)" : "the duplicate of the answer to send #\(sends)")
                    }
                case let .completed(response):
                    events.append(.completed(at: now, answer: labels[response] ?? "a response it was never given"))
                case .timedOut:
                    events.append(.timedOut(at: now))
                }
            }
        }
        func call(_ name: String, at now: Int, _ body: () throws -> [StunTransactionAction]) -> Bool {
            do {
                apply(try body(), at: now)
                return true
            } catch {
                events.append(.threw(call: name, error: Describe.thrown(error)))
                return false
            }
        }

        guard call("start(now: 0)", at: 0, { try transaction.start(now: 0) }) else { return events }
        var now = 0
        var earlyTicks = script.earlyTicks.sorted()
        for _ in 0..<maximumSteps {
            let deadline = transaction.nextDeadline
            let arrival = arrivals.min { ($0.at, $0.order) < ($1.at, $1.order) }
            let early = earlyTicks.first
            // The earliest of the three; an arrival wins a tie (the answer is already there when the timer fires).
            let times = [arrival.map(\.at), deadline.map { max($0, now) }, early].compactMap { $0 }
            guard let next = times.min() else { break }
            guard next <= horizon else {
                events.append(.stuck("still running at \(horizon) ms of virtual time (nextDeadline \(deadline.map(String.init) ?? "nil"))"))
                return events
            }
            now = max(now, next)
            if let arrival, arrival.at == next {
                arrivals.removeAll { $0.order == arrival.order }
                guard call("receive(…, now: \(now))", at: now, { try transaction.receive(arrival.response, now: now) }) else {
                    return events
                }
            } else if let deadline, max(deadline, now) == next {
                let before = events.count
                guard call("tick(now: \(now))", at: now, { try transaction.tick(now: now) }) else { return events }
                if events.count == before, transaction.nextDeadline == deadline {
                    events.append(.stuck("tick(now: \(now)) at its own nextDeadline \(deadline) did nothing, and "
                                         + "nextDeadline stayed \(deadline): a caller would call tick forever"))
                    return events
                }
            } else {
                earlyTicks.removeFirst()
                guard call("tick(now: \(now))", at: now, { try transaction.tick(now: now) }) else { return events }
            }
        }
        // Long after everything: nothing may be due any more.
        let late = now + 60_000
        _ = call("tick(now: \(late))", at: late, { try transaction.tick(now: late) })
        return events
    }
}
