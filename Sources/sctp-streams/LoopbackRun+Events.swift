import DataTransport
import DTLS
import SCTP
import SocketDriver
import ToolSupport
import Wire

/// What each side's events mean for the run, and how the run ends.
extension LoopbackRun {
    func clientEvent(_ event: DataTransportEvent, at now: Instant) {
        switch event {
        case let .dtls(.connected(info)):
            dtlsUpAt = now
            report.dtlsHandshakeMs = info.handshakeDuration.milliseconds
            report.cipherSuite = info.cipherSuite
        case let .sctp(.associationUp(_, outbound)):
            report.associationMs = dtlsUpAt.map { (now - $0).milliseconds }
            report.rtoMinMs = client.association.configuration.rtoMin.milliseconds
            let needed = settings.modes.count * settings.streamsPerMode * 2
            guard Int(outbound) >= needed else {
                failure = failure ?? StreamsFailure(.associationFailure, "the association has \(outbound) outbound streams, the run needs \(needed)")
                return
            }
            sendingSince = now
            sendMore(at: now)
        case let .sctp(.sendFailed(abandoned)):
            // Under --use-exercise a fragment failed: its message counts once, when first abandoned.
            if let exerciseSink {
                if exerciseSink.abandoned(abandoned) { trains.abandoned(abandoned, at: now) }
            } else {
                trains.abandoned(abandoned, at: now)
            }
        case .sctp(.senderDry):
            exerciseSink?.senderDry()
            trains.senderDry(queued: client.association.bufferedAmount)
        case .sctp(.bufferedAmountLow):
            if sending, settings.intervalMs == 0, !closing { sendMore(at: now) }
        default:
            common(event, side: "client", at: now)
        }
    }

    func serverEvent(_ event: DataTransportEvent, at now: Instant) {
        switch event {
        case let .sctp(.message(message)):
            guard let exerciseDelivery else {
                trains.delivered(message, at: now)
                return
            }
            // Only what the student's receiver returns is delivered.
            for delivered in exerciseDelivery.handle(message) {
                trains.delivered(SCTPMessage(stream: delivered.stream, ppid: Trains.binaryPPID, bytes: delivered.payload,
                                             unordered: delivered.unordered), at: now)
            }
            if let problem = exerciseDelivery.failure { failure = failure ?? StreamsFailure(.exerciseFailure, problem) }
        default:
            common(event, side: "server", at: now)
        }
    }

    /// Events both sides treat alike: key log lines, failures, the end.
    private func common(_ event: DataTransportEvent, side: String, at now: Instant) {
        switch event {
        case let .dtls(.keyLog(line)):
            recorder.noteKeyLog(line)
        case let .dtls(.failed(error)):
            let exit: StreamsExit = dtlsUpAt == nil ? .handshakeFailure : .associationFailure
            failure = failure ?? StreamsFailure(exit, "\(side): DTLS: \(error.reason)")
        case .dtls(.closed):
            closedSides += 1
            if !closing { failure = failure ?? StreamsFailure(.associationFailure, "\(side): DTLS closed during the run") }
        case let .sctp(.associationClosed(reason)):
            if !closing { failure = failure ?? StreamsFailure(.associationFailure, "\(side): the SCTP association ended (\(reason.rawValue))") }
        case let .failed(error):
            failure = failure ?? StreamsFailure(.associationFailure, "\(side): \(error.reason)")
        default:
            break
        }
    }

    /// SCTP SHUTDOWN then DTLS close_notify, so a capture ends cleanly; a lost
    /// SHUTDOWN is not waited for long (the figures are already in).
    func closeGracefully() {
        closing = true
        client.close()
        drainBoth()
        _ = try? loop.run(until: SystemClock.now() + .seconds(1)) { [unowned self] in closedSides >= 2 }
    }

    /// How the run ends when it did not succeed: the first failure seen, else a
    /// --timeout that struck before the trains could finish (before DTLS or SCTP was
    /// even up, that layer's own exit code: a timeout there is the layer failing, not a
    /// slow train), else the first promise the counts show broken (`report.modes` set).
    func verdict(timedOut: Bool) -> StreamsFailure? {
        if let failure { return failure }
        let limit = "--timeout (\(TableReport.number(settings.timeoutSeconds)) s)"
        if timedOut, dtlsUpAt == nil { return StreamsFailure(.handshakeFailure, "DTLS: no handshake within \(limit)") }
        if timedOut, sendingSince == nil {
            return StreamsFailure(.associationFailure, "the SCTP association did not come up within \(limit)")
        }
        if timedOut, !trains.reliableComplete {
            return StreamsFailure(.timedOut, "after \(settings.timeoutSeconds) s \(trains.sentCount) of \(settings.messages * settings.modes.count) "
                + "messages were sent and \(trains.deliveredCount) delivered (raise --timeout, or send fewer/smaller messages)")
        }
        return report.brokenPromise.map { StreamsFailure(.promiseBroken, $0) }
    }

    /// Fills in the report, prints it, writes the files, and says how the run ends.
    func finish(timedOut: Bool, ports: [UInt16]) throws -> StreamsExit {
        if !trains.isSettled {
            trains.markUnaccountedInFlight()
            if trains.statistics.contains(where: { $0.inFlight > 0 }) {
                report.unsettledReason = timedOut ? "--timeout ended the run"
                    : "nothing moved for \(TableReport.number(settleLimit.milliseconds)) ms (\(Self.settleRTOs) x RTO max + a round trip)"
            }
        }
        report.modes = trains.statistics
        if let exerciseDelivery, let exerciseSink {
            report.exercise = RunReport.ExerciseSummary(
                fragmentSize: settings.fragmentSize, initialTSN: ExerciseFraming.initialTSN, fragmentsSent: exerciseSink.fragmentsSent,
                fragmentsReceived: exerciseDelivery.fragmentsReceived, messagesDelivered: exerciseDelivery.messagesDelivered,
                abandonmentNotices: exerciseDelivery.notices, forwardTSNs: exerciseDelivery.forwardTSNs,
                refused: exerciseDelivery.refused, cumulativeTSN: exerciseDelivery.cumulativeTSN)
        }
        report.datagrams.emitted = link.emitted
        report.datagrams.droppedByLoss = link.dropped
        report.datagrams.largest = link.largest
        report.datagrams.droppedBySendBuffer = loop.statistics.dropped + loop.statistics.sendErrors
        let receiveDrops = ports.map { ReceiveDrops.count(port: $0) }
        report.datagrams.droppedByReceiveBuffer = receiveDrops.contains(nil) ? nil : receiveDrops.reduce(0) { $0 + ($1 ?? 0) }
        report.wallMs = (SystemClock.now() - started).milliseconds
        if let outcome = verdict(timedOut: timedOut) {
            report.exit = outcome.exit
            report.error = outcome.message
        }
        try recorder.finish(keylogPath: settings.keylog)
        if settings.json {
            print(JSONReport(report).text)
        } else {
            if report.dtlsHandshakeMs != nil { print(TableReport.render(report)) }
            if let pcap = settings.pcap, let keylog = settings.keylog {
                print("")
                print("decode the capture (SCTP chunks inside DTLS; \(Recorder.luaPath(forCapture: pcap)) tells tshark DTLS carries SCTP):")
                print("  " + Recorder.tsharkCommand(pcap: pcap, keylog: keylog))
            }
            if let error = report.error { printError("sctp-streams: error: \(error)") }
        }
        return report.exit
    }
}
