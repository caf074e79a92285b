import ExerciseInterfaces
import STUN
import Wire

/// What the probe's client reports: the library client's events, plus what only the
/// probe knows (a send dropped by --drop-requests, the student's transaction misbehaving).
enum ProbeClientEvent {
    /// An event of the library's `STUNClient`, or one the exercise transaction caused in its shape.
    case client(STUNClientEvent)
    /// Send number `transmission` of `transactionID` was dropped before the socket (--drop-requests).
    case requestDropped(TransactionID, transmission: Int)
    /// --use-exercise: the student's transaction is not written yet; the library's runs instead.
    case exerciseNotImplemented
    /// --use-exercise: the student's transaction broke a rule the tool can see; the run stops.
    case exerciseProblem(String)
}

/// The Binding client of a probe: the library's `STUNClient` builds, signs and verifies
/// every message, and either it (by default) or the student's exercise 09 transaction
/// (--use-exercise) decides when a request is sent again and when to give up.
///
/// In exercise mode the library client keeps no timers of its own: it is never fed
/// `.timeout`, so it never retransmits. Every datagram from the server that is a valid
/// STUN response (the same checks as the library's: source, parse, FINGERPRINT,
/// MESSAGE-INTEGRITY) goes to every transaction the student's code runs; the one that
/// completes hands it to the library client, which turns it into the usual
/// `.responseReceived`. The student's clock is milliseconds since the client was made.
///
/// `--drop-requests N` drops the first N sends of every transaction here, before the
/// socket, in both modes: the transaction believes they went out, as it would on a lossy path.
struct BindingProbeClient: DatagramEndpoint {
    typealias Event = ProbeClientEvent

    /// One of the student's transactions and what the probe knows about it.
    private struct ExerciseRun {
        var transaction: any StunTransactionExercise
        let request: [UInt8]
        var sends = 0
        var ended = false
    }

    private var library: STUNClient
    private let server: TransportAddress
    private let key: STUNKey?
    private let dropRequests: Int
    private let origin: Instant
    private var exercise: (any StunTransactionExercise.Type)?
    private var runs: [TransactionID: ExerciseRun] = [:]
    private var order: [TransactionID] = []
    private var sends: [TransactionID: Int] = [:]
    private var outputs: [EndpointOutput<Event>] = []
    private var reportedForeignBytes = false

    /// A client for `server`. `exercise` nil runs the library's transactions.
    init(library: STUNClient, server: TransportAddress, key: STUNKey?, dropRequests: Int,
         exercise: (any StunTransactionExercise.Type)?, origin: Instant) {
        self.library = library
        self.server = server
        self.key = key
        self.dropRequests = dropRequests
        self.exercise = exercise
        self.origin = origin
    }

    /// Whether the student's transaction is running the probe (false once it proved unwritten).
    var usesExercise: Bool { exercise != nil }

    /// The student's parameters for the library's policy (Rc and Rm unchanged, RTO in whole ms).
    static func configuration(_ policy: STUNRetransmissionPolicy) -> StunTransactionConfiguration {
        StunTransactionConfiguration(rtoMilliseconds: max(1, Int(policy.initialRTO.totalNanoseconds / 1_000_000)),
                                     maxRequests: policy.maxTransmissions, finalWaitMultiplier: policy.finalWaitMultiplier)
    }

    /// Starts a Binding transaction at `now`; returns its id and the request's bytes.
    mutating func sendBindingRequest(at now: Instant) -> (TransactionID, [UInt8]) {
        let id = library.sendBindingRequest(to: server, at: now)
        var request: [UInt8] = []
        var held: [Datagram] = []
        while let output = library.poll() {
            switch output {
            case let .transmit(datagram):
                if request.isEmpty { request = datagram.payload }
                held.append(datagram)
            case let .event(event):
                outputs.append(.event(.client(event)))
            }
        }
        guard let exercise else {
            held.forEach { transmit($0) }
            return (id, request)
        }
        var run = ExerciseRun(transaction: exercise.init(request: request, transactionID: id.bytes,
                                                         configuration: Self.configuration(library.policy)),
                              request: request)
        do {
            let actions = try run.transaction.start(now: milliseconds(now))
            runs[id] = run
            order.append(id)
            apply(actions, to: id, from: "start(now: \(milliseconds(now)))", datagram: nil, at: now)
        } catch ExerciseError.notImplemented {
            // The library's transaction carries on from here; the report and the exit status say so.
            self.exercise = nil
            outputs.append(.event(.exerciseNotImplemented))
            held.forEach { transmit($0) }
        } catch {
            problem("start(now: \(milliseconds(now))) threw \(error)")
        }
        return (id, request)
    }

    // MARK: - DatagramEndpoint

    mutating func handle(_ input: EndpointInput) {
        guard exercise != nil else {
            library.handle(input)
            drainLibrary()
            return
        }
        switch input {
        case let .datagram(datagram, now): receive(datagram, at: now)
        case let .timeout(now): tick(at: now)
        }
    }

    mutating func poll() -> EndpointOutput<Event>? {
        outputs.isEmpty ? nil : outputs.removeFirst()
    }

    var nextTimeout: Instant? {
        guard exercise != nil else { return library.nextTimeout }
        return runs.values.filter { !$0.ended }.compactMap(\.transaction.nextDeadline).min()
            .map { origin + .milliseconds($0) }
    }

    // MARK: - Exercise mode

    private func milliseconds(_ now: Instant) -> Int {
        Int((now - origin).totalNanoseconds / 1_000_000)
    }

    private mutating func tick(at now: Instant) {
        let ms = milliseconds(now)
        for id in order {
            guard var run = runs[id], !run.ended, let deadline = run.transaction.nextDeadline, deadline <= ms else { continue }
            let actions: [StunTransactionAction]
            do {
                actions = try run.transaction.tick(now: ms)
            } catch {
                return problem("tick(now: \(ms)) threw \(error)")
            }
            runs[id] = run
            if actions.isEmpty, run.transaction.nextDeadline == deadline {
                runs[id]?.ended = true
                return problem("tick(now: \(ms)) at its own nextDeadline \(deadline) did nothing and nextDeadline stayed "
                               + "\(deadline): the probe would call tick forever")
            }
            apply(actions, to: id, from: "tick(now: \(ms))", datagram: nil, at: now)
        }
    }

    private mutating func receive(_ datagram: Datagram, at now: Instant) {
        let bytes = datagram.payload
        guard datagram.source == server else {
            return drop(datagram, "a datagram from \(datagram.source), the request went to \(server)")
        }
        guard DemuxedProtocol.classify(bytes) == .stun, let message = try? STUNMessage(parsing: bytes) else {
            return drop(datagram, "not a well-formed STUN message")
        }
        guard message.messageType.messageClass.isResponse else {
            return drop(datagram, "not a response (\(message.messageType)); this endpoint is a client")
        }
        if case let .invalid(expected, received) = STUNMessage.verifyFingerprint(of: bytes) {
            return drop(datagram, "bad FINGERPRINT 0x\(String(received, radix: 16)) (expected 0x\(String(expected, radix: 16)))")
        }
        if let key {
            let integrity = STUNMessage.verifyIntegrity(of: bytes, key: key)
            let unsignedError = message.messageType.messageClass == .errorResponse && integrity == .absent
            if !integrity.isValid, !unsignedError {
                return drop(datagram, "response for \(message.transactionID) fails MESSAGE-INTEGRITY (\(integrity))")
            }
        }
        let response = StunResponse(transactionID: message.transactionID.bytes, bytes: bytes)
        let ms = milliseconds(now)
        var taken = false
        // Every transaction sees every response: telling its own from another's is its job.
        for id in order {
            guard var run = runs[id] else { continue }
            let actions: [StunTransactionAction]
            do {
                actions = try run.transaction.receive(response, now: ms)
            } catch {
                return problem("receive(…, now: \(ms)) threw \(error)")
            }
            let wasWaiting = !run.ended
            runs[id] = run
            if actions.contains(where: { if case .completed = $0 { return true } else { return false } }) { taken = true }
            apply(actions, to: id, from: "receive(…, now: \(ms))", datagram: datagram, at: now)
            if id == message.transactionID, wasWaiting, actions.isEmpty {
                return problem("receive(…, now: \(ms)) ignored a response with its own transaction id while it was still waiting")
            }
        }
        if !taken {
            let known = runs[message.transactionID] != nil
            drop(datagram, known ? "duplicate response for finished transaction \(message.transactionID)"
                 : "response for unknown transaction \(message.transactionID)")
        }
    }

    private mutating func apply(_ actions: [StunTransactionAction], to id: TransactionID, from call: String,
                                datagram: Datagram?, at now: Instant) {
        for action in actions {
            guard var run = runs[id] else { return }
            switch action {
            case let .send(bytes):
                if run.ended { return problem("\(call) asked to send after the transaction had ended") }
                run.sends += 1
                runs[id] = run
                if bytes != run.request, !reportedForeignBytes {
                    reportedForeignBytes = true
                    return problem("\(call) asked to send \(bytes.count) bytes that are not the request it was given "
                                   + "(\(run.request.count) bytes): a retransmission is the same request, byte for byte")
                }
                // As the library does: the datagram first, then the event that reports it.
                transmit(Datagram(from: library.localAddress, to: server, payload: bytes))
                if run.sends > 1 {
                    outputs.append(.event(.client(.retransmitted(id, transmission: run.sends, at: now))))
                }
            case let .completed(response):
                if run.ended { return problem("\(call) ended the transaction a second time (it had already ended)") }
                guard let datagram, response.bytes == datagram.payload else {
                    return problem("\(call) completed with a response it was not given")
                }
                guard response.transactionID == id.bytes else {
                    return problem("\(call) completed transaction \(id) with a response to another transaction "
                                   + "(\(Hex.encode(response.transactionID)))")
                }
                run.ended = true
                runs[id] = run
                // The library client reads the response (address, error code, RTT from the first send).
                library.handle(.datagram(datagram, at: now))
                drainLibrary()
            case .timedOut:
                if run.ended { return problem("\(call) ended the transaction a second time (it had already ended)") }
                run.ended = true
                runs[id] = run
                outputs.append(.event(.client(.timedOut(id, transmissions: run.sends, at: now))))
            }
        }
    }

    private mutating func problem(_ text: String) {
        outputs.append(.event(.exerciseProblem(text)))
    }

    private mutating func drop(_ datagram: Datagram, _ reason: String) {
        outputs.append(.event(.client(.dropped(from: datagram.source, reason: reason))))
    }

    // MARK: - Both modes

    private mutating func drainLibrary() {
        while let output = library.poll() {
            switch output {
            case let .transmit(datagram): transmit(datagram)
            case let .event(event): outputs.append(.event(.client(event)))
            }
        }
    }

    /// Sends `datagram`, unless it is one of the first `dropRequests` sends of its transaction.
    private mutating func transmit(_ datagram: Datagram) {
        let payload = datagram.payload
        if dropRequests > 0, payload.count >= 20, let id = try? TransactionID(bytes: Array(payload[8..<20])) {
            let number = (sends[id] ?? 0) + 1
            sends[id] = number
            if number <= dropRequests {
                outputs.append(.event(.requestDropped(id, transmission: number)))
                return
            }
        }
        outputs.append(.transmit(datagram))
    }
}
