import DataTransport
import ExerciseInterfaces
import SCTP
import Wire

// The lab's exercise 12 hook beside usrsctp, for datachannel-chat's capstone: the
// student's receiver reassembles every DATA chunk the peer sends, and the channels see
// a message only once the student's code has delivered it.

/// --use-exercise: a `SCTPReceiveGate` running a student's `StreamReceiveExercise` (the
/// student's `Exercises.StreamReceive`, or any a test passes) on the real association.
///
/// Every SCTP packet DTLS delivers is read here before usrsctp reads it: the peer's INIT
/// or INIT ACK gives the initial TSN the receiver is created with, each DATA chunk
/// (RFC 9260 §3.3.1) becomes a `DataFragment`, each FORWARD-TSN (RFC 3758 §3.2) a
/// `ForwardTSN`. usrsctp still acknowledges and delivers; a message reaches the channels
/// when both receivers delivered it (same stream, same bytes, same U flag), in the order
/// the student's delivered them on that stream, with usrsctp's payload protocol
/// identifier (the exercise's messages do not carry one). So a message the student's
/// code never delivers never reaches the application, and one it delivers out of order
/// reaches it out of order. What the two receivers disagreed on goes into `log`.
public final class ExerciseStreamReceiveGate<Receiver: StreamReceiveExercise>: SCTPReceiveGate, @unchecked Sendable {
    // @unchecked: the state sits behind the mutex; the student's type need not be Sendable.
    private let state: Locked<GateState<Receiver>>
    /// What the student's receiver did; shared with the tool, which reads it after the run.
    public let log: StreamReceiveExerciseLog

    /// A gate writing into `log`, giving the receiver these limits.
    public init(log: StreamReceiveExerciseLog = StreamReceiveExerciseLog(),
                limits: StreamReceiveLimits = ExerciseStreamReceiveGate.limits) {
        self.log = log
        state = Locked(GateState(limits: limits))
    }

    /// Generous limits: usrsctp has already accepted (and acknowledged) every chunk the
    /// student's receiver sees, so a refusal here could never be repaired by the peer's
    /// retransmission; the window is usrsctp's own business.
    public static var limits: StreamReceiveLimits { StreamReceiveLimits(maxBufferedBytes: 64 << 20, tsnWindow: 1 << 20) }

    public func packetArrived(_ packet: [UInt8]) -> [SCTPMessage] {
        state.withLock { $0.read(packet, log: log) }
    }

    public func usrsctpDelivered(_ message: SCTPMessage) -> [SCTPMessage] {
        state.withLock { $0.usrsctpDelivered(message, log: log) }
    }
}

/// The gate's state: the student's receiver and the two receivers' deliveries waiting to meet.
struct GateState<Receiver: StreamReceiveExercise> {
    /// A message the student's receiver delivered, and usrsctp's copy once it came.
    struct Pending {
        var message: DeliveredMessage
        var usrsctp: SCTPMessage?
    }

    let limits: StreamReceiveLimits
    var receiver: Receiver?
    var initialTSN: UInt32?
    /// Per stream, the student's deliveries in its order, released from the front.
    var student: [UInt16: [Pending]] = [:]
    /// Per stream, usrsctp's deliveries the student's receiver has not delivered (yet).
    var usrsctpOnly: [UInt16: [SCTPMessage]] = [:]
    /// I-DATA was negotiated: the exercise models DATA only, so usrsctp's messages pass.
    var passThrough = false

    init(limits: StreamReceiveLimits) {
        self.limits = limits
    }

    mutating func read(_ packet: [UInt8], log: StreamReceiveExerciseLog) -> [SCTPMessage] {
        var touched: Set<UInt16> = []
        for chunk in SCTPChunkScan.chunks(in: packet) where !passThrough {
            var value = ByteReader(packet, range: (chunk.offset + 4)..<(chunk.offset + chunk.length))
            switch chunk.type {
            case SCTPChunkScan.initiation, SCTPChunkScan.initiationAck:
                // Initiate Tag, a_rwnd, OS, MIS, then the Initial TSN (RFC 9260 §3.3.2).
                guard (try? value.skip(12)) != nil, let tsn = try? value.readUInt32() else { continue }
                if let initialTSN, initialTSN == tsn { continue }
                if initialTSN != nil { log.note("the peer restarted the association: a new receiver starts at TSN \(tsn)") }
                initialTSN = tsn
                receiver = Receiver(initialTSN: tsn, limits: limits)
            case SCTPChunkScan.data:
                guard let tsn = try? value.readUInt32(), let stream = try? value.readUInt16(),
                      let ssn = try? value.readUInt16(), (try? value.readUInt32()) != nil else { continue }
                let fragment = DataFragment(tsn: tsn, stream: stream, ssn: ssn, unordered: chunk.flags & 0x04 != 0,
                                            begin: chunk.flags & 0x02 != 0, end: chunk.flags & 0x01 != 0,
                                            payload: value.readRemaining())
                guard receiver != nil else {
                    log.disagree("DATA \(fragment) came before the peer's INIT: no receiver to give it to")
                    continue
                }
                log.fragment()
                let delivered = log.call("receive(\(fragment))") { try receiver!.receive(fragment) } ?? []
                for message in delivered { accept(message, log: log); touched.insert(message.stream) }
            case ForwardTSNWatch.forwardTSN:
                guard let cumulative = try? value.readUInt32() else { continue }
                var skipped: [ForwardTSN.Skip] = []
                while let stream = try? value.readUInt16(), let ssn = try? value.readUInt16() {
                    skipped.append(ForwardTSN.Skip(stream: stream, ssn: ssn))
                }
                guard receiver != nil else { continue }
                let forward = ForwardTSN(newCumulativeTSN: cumulative, skipped: skipped)
                log.forwardTSN()
                let delivered = log.call("receive(\(forward))") { try receiver!.receive(forward) } ?? []
                for message in delivered { accept(message, log: log); touched.insert(message.stream) }
            case 64, ForwardTSNWatch.iForwardTSN:
                // I-DATA (RFC 8260) numbers messages by MID and FSN: not the exercise's model.
                log.disagree("the peer sends I-DATA (RFC 8260), which exercise 12 does not model: usrsctp's deliveries pass")
                passThrough = true
            default:
                continue
            }
        }
        if passThrough { return flushForPassThrough() }
        let released = touched.sorted().flatMap { release(stream: $0) }
        refresh(log)
        return released
    }

    mutating func usrsctpDelivered(_ message: SCTPMessage, log: StreamReceiveExerciseLog) -> [SCTPMessage] {
        if passThrough { return [message] }
        defer { refresh(log) }
        if let index = student[message.stream]?.firstIndex(where: { $0.usrsctp == nil && Self.same($0.message, message) }) {
            student[message.stream]![index].usrsctp = message
            return release(stream: message.stream)
        }
        usrsctpOnly[message.stream, default: []].append(message)
        return []
    }

    /// What is still waiting on either side, for the report (both queues stay short:
    /// a message waits only until the other receiver delivers it too).
    private func refresh(_ log: StreamReceiveExerciseLog) {
        log.setUnmatched(usrsctp: usrsctpOnly.values.reduce(0) { $0 + $1.count }, first: Self.first(usrsctpOnly))
        let waiting = student.keys.sorted().flatMap { student[$0]!.filter { $0.usrsctp == nil } }
        log.setUnmatched(student: waiting.count, first: waiting.first?.message)
    }

    /// A student delivery: meets usrsctp's copy if it came first, or waits for it.
    private mutating func accept(_ message: DeliveredMessage, log: StreamReceiveExerciseLog) {
        log.delivered()
        var pending = Pending(message: message)
        if let index = usrsctpOnly[message.stream]?.firstIndex(where: { Self.same(message, $0) }) {
            pending.usrsctp = usrsctpOnly[message.stream]!.remove(at: index)
        }
        student[message.stream, default: []].append(pending)
    }

    /// The front of a stream's queue whose two copies have met, in the student's order.
    private mutating func release(stream: UInt16) -> [SCTPMessage] {
        var out: [SCTPMessage] = []
        while let head = student[stream]?.first, let copy = head.usrsctp {
            student[stream]!.removeFirst()
            out.append(SCTPMessage(stream: stream, ppid: copy.ppid, bytes: head.message.payload, unordered: head.message.unordered))
        }
        return out
    }

    private mutating func flushForPassThrough() -> [SCTPMessage] {
        let waiting = usrsctpOnly.keys.sorted().flatMap { usrsctpOnly[$0]! }
        usrsctpOnly = [:]
        student = [:]
        return waiting
    }

    private static func same(_ a: DeliveredMessage, _ b: SCTPMessage) -> Bool {
        a.unordered == b.unordered && a.payload == b.bytes
    }

    private static func first(_ queues: [UInt16: [SCTPMessage]]) -> SCTPMessage? {
        queues.keys.sorted().lazy.compactMap { queues[$0]?.first }.first
    }
}

/// What a run's student receiver did (a reference the tool keeps while the connection holds the gate).
public final class StreamReceiveExerciseLog: Sendable {
    private let state = Locked(StreamReceiveExerciseFindings())

    /// An empty log.
    public init() {}

    /// What happened so far.
    public var findings: StreamReceiveExerciseFindings { state.withLock { $0 } }

    func fragment() { state.withLock { $0.fragments += 1 } }
    func forwardTSN() { state.withLock { $0.forwardTSNs += 1 } }
    func delivered() { state.withLock { $0.delivered += 1 } }
    func note(_ text: String) { state.withLock { if $0.notes.count < 10 { $0.notes.append(text) } } }
    func disagree(_ text: String) { state.withLock { if $0.mismatches.count < 20 { $0.mismatches.append(text) } } }

    func setUnmatched(usrsctp count: Int, first: SCTPMessage?) {
        state.withLock {
            $0.lostByStudent = count
            $0.firstLost = first.map { DeliveredMessage(stream: $0.stream, ssn: 0, unordered: $0.unordered, payload: Array($0.bytes.prefix(32))) }
        }
    }

    func setUnmatched(student count: Int, first: DeliveredMessage?) {
        state.withLock {
            $0.inventedByStudent = count
            $0.firstInvented = first.map { DeliveredMessage(stream: $0.stream, ssn: $0.ssn, unordered: $0.unordered, payload: Array($0.payload.prefix(32))) }
        }
    }

    /// Runs one call of the student's code; nil (and the problem recorded) when it threw.
    /// A `StreamReceiveError` is a refusal (the fragment is as if lost), counted apart.
    func call<T>(_ function: String, _ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch let refusal as StreamReceiveError {
            disagree("your \(function) refused it with \(refusal), but usrsctp accepted it (and acknowledged it: "
                     + "it will not come again)")
            return nil
        } catch {
            state.withLock { findings in
                guard findings.problem == nil else { return }
                if case ExerciseError.notImplemented? = error as? ExerciseError {
                    findings.notImplemented = true
                    findings.problem = "receive is not implemented yet (it throws notImplemented)"
                } else {
                    findings.problem = "your \(function) threw \(error)"
                }
            }
            return nil
        }
    }
}

/// Counts and disagreements of the student's receiver in one run.
public struct StreamReceiveExerciseFindings: Sendable, Equatable {
    /// DATA chunks given to it.
    public var fragments = 0
    /// FORWARD-TSN chunks given to it.
    public var forwardTSNs = 0
    /// Messages it delivered.
    public var delivered = 0
    /// usrsctp delivered these and the student's receiver has not (they never reached the channels).
    public var lostByStudent = 0
    /// The first of those (its first 32 bytes).
    public var firstLost: DeliveredMessage?
    /// The student's receiver delivered these and usrsctp has not (held back from the channels).
    public var inventedByStudent = 0
    /// The first of those (its first 32 bytes).
    public var firstInvented: DeliveredMessage?
    /// Disagreements and refusals, as sentences.
    public var mismatches: [String] = []
    /// Other things worth a line (a restart).
    public var notes: [String] = []
    /// The first error the student's code threw (other than a refusal).
    public var problem: String?
    /// That error was `notImplemented`.
    public var notImplemented = false

    /// True when fragments went through and both receivers delivered the same messages.
    public var agrees: Bool {
        fragments > 0 && problem == nil && mismatches.isEmpty && lostByStudent == 0 && inventedByStudent == 0
    }
}

/// Whether an exercise 12 receiver is written yet: a starter throws `notImplemented` on its first fragment.
public enum StreamReceiveProbe {
    /// False while `exercise` still throws `notImplemented` on a one-fragment message.
    public static func isWritten(_ exercise: any StreamReceiveExercise.Type) -> Bool {
        var receiver = exercise.init(initialTSN: 1, limits: StreamReceiveLimits())
        do {
            _ = try receiver.receive(DataFragment(tsn: 1, stream: 0, ssn: 0, unordered: false, begin: true, end: true, payload: [1]))
        } catch ExerciseError.notImplemented {
            return false
        } catch {
            // Wrong answers and refusals are the run's business.
        }
        return true
    }

    /// A maker of gates running `exercise`, one per connection, all writing into `log`.
    public static func gates(_ exercise: any StreamReceiveExercise.Type,
                             log: StreamReceiveExerciseLog) -> any SCTPReceiveGateFactory {
        func make<Receiver: StreamReceiveExercise>(_: Receiver.Type) -> any SCTPReceiveGateFactory {
            GateMaker<Receiver>(log: log)
        }
        return make(exercise)
    }

    /// Makes one `ExerciseStreamReceiveGate` per connection.
    private struct GateMaker<Receiver: StreamReceiveExercise>: SCTPReceiveGateFactory {
        let log: StreamReceiveExerciseLog
        func makeGate() -> any SCTPReceiveGate { ExerciseStreamReceiveGate<Receiver>(log: log) }
    }
}
