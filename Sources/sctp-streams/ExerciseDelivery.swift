import ExerciseInterfaces
import Exercises
import SCTP

/// --use-exercise, receiving side: every fragment SCTP hands over goes to the student's
/// exercise 12 receiver (`StreamReceiveExercise`), and only the messages it returns are
/// delivered to the run's statistics.
///
/// The abandonment notices become FORWARD-TSNs as an SCTP sender builds them (RFC 3758
/// §3.5): the Advanced.Peer.Ack.Point moves over TSNs that are acknowledged (here:
/// received, which is what a SACK would have told the sender) or abandoned, and stops at
/// the first one that is neither, so a FORWARD-TSN never skips a fragment still on its
/// way. Each one names, per ordered stream, the largest SSN it skips. That bookkeeping is
/// the sender's and is done here; what the receiver does with it (RFC 3758 §3.6) is the
/// student's.
final class ExerciseDelivery {
    /// What the student's code gets to hold: far more than a run keeps in flight, so a
    /// refusal means the code's accounting is wrong, not that the run is large.
    static let limits = StreamReceiveLimits(maxBufferedBytes: 256 << 20, tsnWindow: 1 << 24)
    static let file = "exercises/12-stream-receive/StreamReceive.swift"

    private var receiver: any StreamReceiveExercise
    /// The receiver's cumulative TSN as the sender learns it (SACKs, FORWARD-TSNs sent).
    private var point = ExerciseFraming.initialTSN &- 1
    private var received: Set<UInt32> = []
    private var abandonedTSNs: Set<UInt32> = []
    /// Abandoned ordered messages not yet named in a FORWARD-TSN.
    private var abandonedOrdered: [ExerciseFraming.Abandoned] = []

    private(set) var fragmentsReceived = 0
    private(set) var messagesDelivered = 0
    private(set) var forwardTSNs = 0
    private(set) var refused = 0
    private(set) var notices = 0
    /// Set when the student's code threw something other than a refusal: the run stops.
    private(set) var failure: String?

    init(exercise: any StreamReceiveExercise.Type) {
        receiver = exercise.init(initialTSN: ExerciseFraming.initialTSN, limits: Self.limits)
    }

    /// The student's cumulative TSN now.
    var cumulativeTSN: UInt32 { receiver.cumulativeTSN }

    /// Before anything is sent: one fragment that is a whole message must come back as it is.
    /// - Returns: nil when it does, else what to tell the student.
    static func preflight(_ exercise: any StreamReceiveExercise.Type) -> String? {
        var receiver = exercise.init(initialTSN: 7, limits: StreamReceiveLimits())
        let fragment = DataFragment(tsn: 7, stream: 0, ssn: 0, unordered: false, begin: true, end: true, payload: Array("hi".utf8))
        let expected = DeliveredMessage(stream: 0, ssn: 0, unordered: false, payload: Array("hi".utf8))
        do {
            let delivered = try receiver.receive(fragment)
            guard delivered == [expected] else {
                return "--use-exercise: your receive(\(fragment)) in \(file) returned \(delivered), expected [\(expected)] "
                    + "(a whole message, the first of its stream); check it with `lab check 12`"
            }
            return nil
        } catch ExerciseError.notImplemented {
            return "--use-exercise: receive(_:) in \(file) is not implemented yet (it throws notImplemented); write it, then "
                + "check it with `lab check 12`"
        } catch {
            return "--use-exercise: your receive(\(fragment)) in \(file) threw \(error) on a whole first message"
        }
    }

    /// One SCTP message from the sender: a fragment or a notice. Returns what the
    /// student's receiver delivers because of it.
    func handle(_ message: SCTPMessage) -> [DeliveredMessage] {
        guard failure == nil else { return [] }
        if message.stream == ExerciseFraming.controlStream, let notice = ExerciseFraming.abandoned(message.bytes) {
            notices += 1
            var tsn = notice.firstTSN
            while true {
                if ExerciseFraming.isAfter(tsn, point) { abandonedTSNs.insert(tsn) }
                if tsn == notice.lastTSN { break }
                tsn &+= 1
            }
            if !notice.unordered { abandonedOrdered.append(notice) }
            return forwardIfDue()
        }
        guard let fragment = ExerciseFraming.fragment(message.bytes) else { return [] }
        fragmentsReceived += 1
        if ExerciseFraming.isAfter(fragment.tsn, point) { received.insert(fragment.tsn) }
        var delivered = call { try $0.receive(fragment) }
        delivered += forwardIfDue()
        return delivered
    }

    /// RFC 3758 §3.5 C1-C3: the sender's Advanced.Peer.Ack.Point starts from the
    /// receiver's cumulative TSN (what its SACK says) and moves over abandoned TSNs only, so
    /// each FORWARD-TSN ends at the last TSN of an abandoned message; the receiver's own
    /// cumulative TSN then moves over what it holds beyond, and the next round follows.
    private func forwardIfDue() -> [DeliveredMessage] {
        var delivered: [DeliveredMessage] = []
        while true {
            while received.remove(point &+ 1) != nil {
                point &+= 1
                abandonedTSNs.remove(point)
            }
            var advanced = point
            while abandonedTSNs.remove(advanced &+ 1) != nil {
                advanced &+= 1
                received.remove(advanced)
            }
            guard advanced != point else { return delivered }
            point = advanced
            var largest: [UInt16: UInt16] = [:]
            abandonedOrdered.removeAll { notice in
                guard !ExerciseFraming.isAfter(notice.lastTSN, point) else { return false }
                if let known = largest[notice.stream], known &- notice.ssn < 1 << 15 { return true }
                largest[notice.stream] = notice.ssn
                return true
            }
            let forward = ForwardTSN(newCumulativeTSN: point,
                                     skipped: largest.keys.sorted().map { ForwardTSN.Skip(stream: $0, ssn: largest[$0]!) })
            forwardTSNs += 1
            delivered += call { try $0.receive(forward) }
        }
    }

    /// Calls the student's code: a refusal loses the fragment (SCTP already acknowledged
    /// its carrier) and is counted; anything else stops the run.
    private func call(_ body: (inout any StreamReceiveExercise) throws -> [DeliveredMessage]) -> [DeliveredMessage] {
        do {
            let delivered = try body(&receiver)
            messagesDelivered += delivered.count
            return delivered
        } catch is StreamReceiveError {
            refused += 1
            return []
        } catch ExerciseError.notImplemented {
            failure = "--use-exercise: your StreamReceive in \(Self.file) threw notImplemented during the run "
                + "(a FORWARD-TSN? receive(_: ForwardTSN) must be written too); check it with `lab check 12`"
            return []
        } catch {
            failure = "--use-exercise: your StreamReceive in \(Self.file) threw \(error) during the run"
            return []
        }
    }
}
