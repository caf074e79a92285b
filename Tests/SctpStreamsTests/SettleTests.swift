import SCTP
@testable import sctp_streams
import Testing
import Wire

/// Trains of `count` messages on one unreliable-ordered stream, all handed to a sink.
private func sentTrains(_ count: Int, modes: String = "unreliable-ordered") throws -> (Trains, AcceptingSink) {
    let trains = Trains(settings: try Fixture.settings(["--modes", modes, "--messages", String(count)]))
    let sink = AcceptingSink()
    try trains.sendDue(on: sink, start: Instant(nanoseconds: 0), interval: .milliseconds(1), at: Instant(nanoseconds: 1_000_000_000))
    #expect(sink.sent.count == count * modes.split(separator: ",").count)
    return (trains, sink)
}

/// Trains of `count` messages of which the server got `delivered` (indexes) and the
/// sender reported `abandoned` (indexes; a message can be both when its SACK was lost).
private func trains(sent count: Int, delivered: [Int], abandoned: [Int] = [], modes: String = "unreliable-ordered") throws -> Trains {
    let (trains, sink) = try sentTrains(count, modes: modes)
    for index in delivered {
        let message = SCTPMessage(stream: sink.sent[index].stream, ppid: Trains.binaryPPID, bytes: sink.sent[index].bytes, unordered: false)
        trains.delivered(message, at: Instant(nanoseconds: 1_010_000_000))
    }
    for index in abandoned {
        trains.abandoned(SCTPSendFailure(stream: sink.sent[index].stream, ppid: Trains.binaryPPID, byteCount: 100, wasTransmitted: true),
                         at: Instant(nanoseconds: 1_100_000_000))
    }
    return trains
}

@Suite("sctp-streams: the run waits for every message's fate, so lost is final")
struct SettleTests {
    @Test("everything delivered: settled at once, without waiting for the sender")
    func allDelivered() throws {
        let settled = try trains(sent: 3, delivered: [0, 1, 2])
        #expect(settled.isSettled)
        #expect(settled.statistics[0].lost == 0)
    }

    @Test("delivered + abandoned = sent is not enough: a message can be both, so the sender must also be dry")
    func countsAloneAreNotEnough() throws {
        // Message 1 arrived and its SACK was lost, so it was abandoned too: message 2 may still be in flight.
        let run = try trains(sent: 3, delivered: [0, 1], abandoned: [1])
        #expect(!run.isSettled)
        run.senderDry(queued: 0)  // the sender holds nothing more: message 2 was abandoned or acknowledged
        #expect(run.isSettled)
        #expect(run.statistics[0].lost == 1)
    }

    @Test("a dry report while messages still wait in the Swift-side queue does not count")
    func dryWithQueuedBytes() throws {
        let run = try trains(sent: 2, delivered: [0], abandoned: [1])
        run.senderDry(queued: 1100)
        #expect(!run.isSettled)
    }

    @Test("a dry report before the last send is forgotten by the next send")
    func dryBeforeLastSend() throws {
        let trains = Trains(settings: try Fixture.settings(["--modes", "unreliable-unordered", "--messages", "2"]))
        let sink = AcceptingSink()
        let start = Instant(nanoseconds: 0)
        try trains.sendDue(on: sink, start: start, interval: .milliseconds(10), at: start)
        #expect(sink.sent.count == 1)
        trains.senderDry(queued: 0)   // ignored: a message is still to be sent
        try trains.sendDue(on: sink, start: start, interval: .milliseconds(10), at: start + .milliseconds(10))
        trains.delivered(SCTPMessage(stream: sink.sent[0].stream, ppid: Trains.binaryPPID, bytes: sink.sent[0].bytes, unordered: true),
                         at: start + .milliseconds(20))
        trains.abandoned(SCTPSendFailure(stream: sink.sent[1].stream, ppid: Trains.binaryPPID, byteCount: 100, wasTransmitted: true),
                         at: start + .milliseconds(30))
        #expect(!trains.isSettled)
    }

    @Test("a reliable message not yet delivered keeps the run waiting, whatever the sender says")
    func reliableWaits() throws {
        let run = try trains(sent: 2, delivered: [0], modes: "reliable-ordered")
        run.senderDry(queued: 0)
        #expect(!run.isSettled && !run.reliableComplete)
    }

    @Test("stopping before the fate is known reports the rest as in flight, not lost")
    func inFlightIsNotLost() throws {
        let run = try trains(sent: 5, delivered: [0, 1], abandoned: [2])
        #expect(!run.isSettled)
        run.markUnaccountedInFlight()
        let stats = run.statistics[0]
        #expect(stats.inFlight == 2)
        #expect(stats.lost == 1)
        #expect(stats.lost + stats.inFlight == stats.sent - stats.delivered)
    }

    @Test("the in-flight note names the modes and why the run stopped waiting")
    func inFlightNote() throws {
        var report = try Fixture.report([.unreliableOrdered, .unreliableUnordered])
        report.modes[0].inFlight = 2
        report.unsettledReason = "--timeout ended the run"
        #expect(TableReport.inFlightNote(report).joined(separator: " ")
                == "in flight (neither delivered nor abandoned when --timeout ended the run; not counted as lost): unreliable-ordered 2")
        report.unsettledReason = nil
        #expect(TableReport.inFlightNote(report).isEmpty)
    }
}
