import ExerciseInterfaces
import Exercises
import SocketDriver
import STUN
import Wire

/// Probing: Binding transactions from one UDP socket to one server, driven by
/// `EventLoop`, with the `STUNClient` state machine (or, with --use-exercise, the
/// student's exercise 09 transaction, see `BindingProbeClient`) deciding every send.
///
/// Transactions run one after another and the run stops at the first failure:
/// a silent server would otherwise cost 39.5 s per remaining transaction.
final class ProbeMode {
    let command: ProbeCommand
    /// --use-exercise: the exercise 09 transaction and exercise 02 decoder to run (the student's by default).
    let transaction: any StunTransactionExercise.Type
    let decoder: any STUNCodingExercise.Type
    /// Every transaction of the run, for the reports (and for tests).
    var transactions: [TransactionRecord] { records }
    /// --use-exercise: the student's transaction turned out to be the unwritten starter.
    private(set) var transactionNotImplemented = false
    private var earlyDrops: [TransactionID: [Int]] = [:]
    private let loop = EventLoop()
    private var records: [TransactionRecord] = []
    private var lastFromServer: [UInt8]?
    private var serverAddress = TransportAddress(.loopbackV4, 0)
    private var embedded = false
    private var capture: CaptureWriter?
    private let report: HumanReport?

    init(command: ProbeCommand, transaction: any StunTransactionExercise.Type = TransactionExercise.student,
         decoder: any STUNCodingExercise.Type = TransactionExercise.studentDecoder) {
        self.command = command
        self.transaction = transaction
        self.decoder = decoder
        report = command.json ? nil : HumanReport()
    }

    func run() throws {
        var host: String?
        if let text = command.server {
            let target = try ServerTarget(parsing: text)
            host = target.host
            serverAddress = try target.resolve()
        } else {
            // The loop keeps the socket (and the server on it) alive for the whole run.
            let socket = try Self.bind(TransportAddress(.loopbackV4, 0))
            serverAddress = socket.localAddress
            embedded = true
            let configuration = ServerEndpoint.configuration(credentials: command.credentials)
            loop.attach(ServerEndpoint(configuration: configuration), sockets: [socket]) { [report] event, _ in
                report?.serverEvent(event)
            }
        }
        let localIP: IPAddress
        do {
            localIP = try SourceAddressSelection.localAddress(toward: serverAddress)
        } catch let error as SocketError {
            throw ProbeFailure(.localFailure, error.reason)
        }
        let socket = try Self.bind(TransportAddress(localIP, 0))
        capture = try command.pcap.map { try CaptureWriter(path: $0) }
        loop.tap = { [weak self] tapped in self?.tapped(tapped, client: socket.localAddress) }
        var sendError: SocketError?
        loop.onSendError = { [unowned loop] _, error in
            sendError = error
            loop.stop()
        }
        var client = STUNClient(localAddress: socket.localAddress, policy: command.policy,
                                software: "webrtc-lab stun-probe")
        if let credentials = command.credentials {
            client.credentials = .shortTerm(username: credentials.username, password: credentials.password)
            report?.integrityKey = .shortTerm(password: credentials.password)
        }
        let probeClient = BindingProbeClient(
            library: client, server: serverAddress, key: command.credentials.map { .shortTerm(password: $0.password) },
            dropRequests: command.dropRequests, exercise: command.useExercise ? transaction : nil, origin: loop.clock())
        let handle = loop.attach(probeClient, sockets: [socket]) { [weak self] event, now in self?.probeEvent(event, at: now) }
        report?.start(server: serverAddress, host: host, embedded: embedded, local: socket.localAddress,
                      policy: command.policy, count: command.count, credentials: command.credentials != nil,
                      useExercise: command.useExercise, dropRequests: command.dropRequests)

        for number in 1...command.count {
            let now = loop.clock()
            let (id, request) = loop.withEndpoint(handle) { $0.sendBindingRequest(at: now) }
            records.append(TransactionRecord(number: number, transactionID: id, startedAt: now))
            records[records.count - 1].requestBytes = request
            records[records.count - 1].droppedSends = earlyDrops.removeValue(forKey: id) ?? []
            report?.requestSent(records[records.count - 1], total: command.count)
            var cap = command.timeout.map { now + .nanoseconds(Int64($0 * 1_000_000_000)) }
            let studentRuns = loop.endpoint(handle).usesExercise
            if studentRuns, cap == nil {
                // The student's code may never end a transaction: stop well after the RFC's give-up instead of hanging.
                cap = now + command.policy.schedule.giveUp + .seconds(10)
            }
            let reason: EventLoop.StopReason
            do {
                reason = try loop.run(until: cap) { [unowned self] in
                    records[records.count - 1].outcome != nil || records[records.count - 1].transactionProblem != nil
                }
            } catch let error as SocketError {
                throw ProbeFailure(.localFailure, error.reason)
            }
            if let sendError { throw ProbeFailure(.localFailure, sendError.reason) }
            if reason == .deadline, records[records.count - 1].outcome == nil, records[records.count - 1].transactionProblem == nil {
                if studentRuns, command.timeout == nil {
                    records[records.count - 1].transactionProblem = "neither completed nor timed out 10 s after the RFC's "
                        + "give-up time (\(seconds(command.policy.schedule.giveUp)))"
                } else {
                    records[records.count - 1].outcome = .abandoned(transmissions: records[records.count - 1].transmissions)
                }
                records[records.count - 1].endedAt = loop.clock()
            }
            if command.useExercise { runExercise(on: &records[records.count - 1]) }
            report?.finished(records[records.count - 1], total: command.count)
            if records[records.count - 1].failure != nil { break }
        }
        capture?.close()
        var failure = records.compactMap(\.failure).first ?? capture?.failure
        if transactionNotImplemented {
            // One line names every piece still to write (exercise 02's decoder first, as before exercise 09 existed).
            if let found = failure, found.exit == .exerciseFailed {
                failure = ProbeFailure(.exerciseFailed, found.message + "; and " + TransactionExercise.notImplemented)
            } else if failure == nil {
                failure = ProbeFailure(.exerciseFailed, TransactionExercise.notImplemented)
            }
        }
        let context = RunContext(server: serverAddress, host: command.server, embedded: embedded,
                                 local: socket.localAddress, policy: command.policy, count: command.count,
                                 pcap: capture.map { ($0.path, $0.count) }, usedExercise: command.useExercise,
                                 transactionNotImplemented: transactionNotImplemented)
        if let report {
            report.summary(records, context: context)
        } else {
            print(JSONReport.render(records, context: context, failure: failure))
        }
        if let failure { throw failure }
    }

    private static func bind(_ address: TransportAddress) throws -> UDPSocket {
        do {
            return try UDPSocket(bindingTo: address)
        } catch let error as SocketError {
            throw ProbeFailure(.localFailure, error.reason)
        }
    }

    // MARK: - Loop callbacks

    private func tapped(_ tapped: TappedDatagram, client: TransportAddress) {
        // The embedded server's socket sees the same datagrams: capture each once, as the client saw it.
        let clientSide = tapped.direction == .sent ? tapped.datagram.source == client : tapped.datagram.destination == client
        if clientSide { capture?.record(tapped) }
        let payload = tapped.datagram.payload
        if tapped.direction == .received, tapped.datagram.destination == client, tapped.datagram.source == serverAddress {
            lastFromServer = payload
        }
    }

    private func probeEvent(_ event: ProbeClientEvent, at now: Instant) {
        switch event {
        case let .client(event):
            clientEvent(event, at: now)
        case let .requestDropped(id, transmission):
            // The first send is dropped before its record exists: keep it for the record.
            if let index = records.indices.last, records[index].transactionID == id {
                records[index].droppedSends.append(transmission)
            } else {
                earlyDrops[id, default: []].append(transmission)
            }
        case .exerciseNotImplemented:
            transactionNotImplemented = true
            report?.transactionNotImplemented()
        case let .exerciseProblem(text):
            guard let index = records.indices.last else { return }
            records[index].transactionProblem = records[index].transactionProblem ?? text
            records[index].endedAt = now
        }
    }

    private func clientEvent(_ event: STUNClientEvent, at now: Instant) {
        guard let index = records.indices.last else { return }
        var record = records[index]
        switch event {
        case let .responseReceived(response) where response.transactionID == record.transactionID:
            record.outcome = .success(response)
            record.transmissions = max(record.transmissions, response.transmissions)
            record.endedAt = now
        case let .errorResponseReceived(response) where response.transactionID == record.transactionID:
            record.outcome = .errorResponse(response)
            record.transmissions = max(record.transmissions, response.transmissions)
            record.endedAt = now
        case let .retransmitted(id, transmission, at) where id == record.transactionID:
            record.transmissions = transmission
            record.retransmittedAt.append(at - record.startedAt)
            report?.retransmitted(record)
        case let .timedOut(id, transmissions, _) where id == record.transactionID:
            record.outcome = .timedOut(transmissions: transmissions)
            record.endedAt = now
        case let .failed(id, reason) where id == record.transactionID:
            record.outcome = .rejected(reason: reason)
            record.discarded.append((lastFromServer ?? [], reason))
            record.endedAt = now
        case let .dropped(from, reason) where from == serverAddress:
            record.discarded.append((lastFromServer ?? [], reason))
            report?.discarded(reason)
        default:
            break
        }
        records[index] = record
    }

    // MARK: - Exercise

    /// Runs the student's `decodeXORMappedAddress` on the response's XOR-MAPPED-ADDRESS value.
    private func runExercise(on record: inout TransactionRecord) {
        guard case let .success(response) = record.outcome else { return }
        var outcome = ExerciseOutcome()
        outcome.expected = (try? response.message.attribute(XORMappedAddress.self))?.address
        guard let raw = response.message.rawAttribute(.xorMappedAddress) else {
            outcome.error = "the response has no XOR-MAPPED-ADDRESS for your decoder to read"
            record.exercise = outcome
            return
        }
        do {
            let decoded = try decoder.decodeXORMappedAddress(raw.value, transactionID: response.transactionID.bytes)
            outcome.family = decoded.family
            if let ip = IPAddress(bytes: decoded.address) {
                outcome.decoded = TransportAddress(ip, decoded.port)
            }
        } catch ExerciseError.notImplemented {
            outcome.notImplemented = true
        } catch {
            outcome.error = "\(error)"
        }
        record.exercise = outcome
    }
}

/// What the reports need to know about the run as a whole.
struct RunContext {
    var server: TransportAddress
    var host: String?
    var embedded: Bool
    var local: TransportAddress
    var policy: STUNRetransmissionPolicy
    var count: Int
    var pcap: (path: String, records: Int)?
    var usedExercise: Bool
    /// --use-exercise found the exercise 09 starter: the library's transaction ran.
    var transactionNotImplemented = false
}
