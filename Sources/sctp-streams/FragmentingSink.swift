import DataTransport
import ExerciseInterfaces
import SCTP

/// --use-exercise, sending side: cuts each train message into DATA-chunk-like fragments
/// (consecutive TSNs from `ExerciseFraming.initialTSN`, one SSN per message on an
/// ordered stream, B on the first and E on the last) and hands each to SCTP as an
/// unordered message with the mode's reliability (see `ExerciseFraming`).
///
/// When SCTP abandons one fragment (PR-SCTP), the whole message is abandoned, as an SCTP
/// sender must (RFC 3758 §3.5): its fragments are forgotten and a notice naming its TSNs,
/// stream and SSN goes out, reliably, on the control stream. The receiving side turns
/// the notices into FORWARD-TSNs for the student's receiver (`ExerciseDelivery`).
final class FragmentingSink: MessageSink {
    /// One message of a partially reliable mode, by the TSNs of its fragments.
    struct Sent {
        var abandoned: ExerciseFraming.Abandoned
        var announced = false
    }

    let transport: SCTPTransport
    let fragmentSize: Int
    private var nextTSN = ExerciseFraming.initialTSN
    private var nextSSN: [UInt16: UInt16] = [:]
    /// Partially reliable messages whose fate is open, keyed by each fragment's TSN (the
    /// carrier's PPID). Cleared when SCTP reports nothing outstanding (`senderDry`).
    private var open: [UInt32: Int] = [:]
    private var messages: [Sent] = []
    /// Notices SCTP's buffer could not take yet.
    private var waitingNotices: [[UInt8]] = []
    private(set) var fragmentsSent = 0
    private(set) var noticesSent = 0

    init(transport: SCTPTransport, fragmentSize: Int) {
        self.transport = transport
        self.fragmentSize = fragmentSize
    }

    var queuedBytes: Int { transport.association.bufferedAmount }

    /// Accepts the whole message or nothing: it fits SCTP's send buffer in one go (else
    /// `.bufferFull`, try later), so its fragments keep consecutive TSNs.
    func send(_ bytes: [UInt8], stream: UInt16, ppid: UInt32, options: SCTPSendOptions) throws(DataTransportError) {
        flushNotices()
        let limit = transport.association.maxMessageSize
        guard bytes.count <= limit else {
            throw DataTransportError(.sctpRefused, "a \(bytes.count)-byte message is above the maximum message size \(limit)",
                                     sctpError: SCTPError(.messageTooLarge, "\(bytes.count) bytes > \(limit)"))
        }
        let count = max(1, (bytes.count + fragmentSize - 1) / fragmentSize)
        let total = bytes.count + count * ExerciseFraming.fragmentHeader
        let room = transport.association.configuration.maxBufferedAmount - queuedBytes
        guard total <= room else {
            throw DataTransportError(.sctpRefused, "\(queuedBytes) bytes are buffered",
                                     sctpError: SCTPError(.bufferFull, "\(total) more would not fit"))
        }
        let ssn = options.unordered ? 0 : nextSSN[stream, default: 0]
        if !options.unordered { nextSSN[stream] = ssn &+ 1 }
        let first = nextTSN
        let partial = options.reliability != .reliable
        if partial {
            messages.append(Sent(abandoned: .init(firstTSN: first, lastTSN: first &+ UInt32(count - 1), stream: stream, ssn: ssn,
                                                  unordered: options.unordered)))
        }
        for part in 0..<count {
            let range = (part * fragmentSize)..<min(bytes.count, (part + 1) * fragmentSize)
            let fragment = DataFragment(tsn: nextTSN, stream: stream, ssn: ssn, unordered: options.unordered,
                                        begin: part == 0, end: part == count - 1, payload: Array(bytes[range]))
            if partial { open[nextTSN] = messages.count - 1 }
            try transport.send(ExerciseFraming.encode(fragment), stream: stream, ppid: nextTSN,
                               options: SCTPSendOptions(unordered: true, reliability: options.reliability))
            nextTSN &+= 1
            fragmentsSent += 1
        }
    }

    /// SCTP gave up on a fragment: true when that abandons a message not abandoned
    /// before (count it once), after sending the notice.
    func abandoned(_ failure: SCTPSendFailure) -> Bool {
        guard failure.stream != ExerciseFraming.controlStream, let index = open[failure.ppid],
              !messages[index].announced else { return false }
        messages[index].announced = true
        let notice = messages[index].abandoned
        var tsn = notice.firstTSN
        while true {
            open[tsn] = nil
            if tsn == notice.lastTSN { break }
            tsn &+= 1
        }
        waitingNotices.append(ExerciseFraming.encode(notice))
        flushNotices()
        return true
    }

    /// Sends the notices that wait for room in SCTP's buffer.
    func flushNotices() {
        while let notice = waitingNotices.first {
            do {
                try transport.send(notice, stream: ExerciseFraming.controlStream, ppid: 0,
                                   options: SCTPSendOptions(unordered: true, reliability: .reliable))
            } catch {
                return
            }
            waitingNotices.removeFirst()
            noticesSent += 1
        }
    }

    /// SCTP has nothing outstanding: no fragment sent so far can still fail.
    func senderDry() {
        open.removeAll(keepingCapacity: true)
        messages.removeAll(keepingCapacity: true)
    }

    /// True when notices still wait to be sent.
    var hasWaitingNotices: Bool { !waitingNotices.isEmpty }
}
