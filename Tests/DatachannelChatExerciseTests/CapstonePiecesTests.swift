import DataTransport
import ExerciseHooks
import ExerciseInterfaces
import SCTP
import Solutions
import Testing
import Wire
@testable import datachannel_chat

/// Exercises 09 and 12 inside a PeerConnection (the capstone's two newest pieces): the
/// receive gate on hand-made SCTP packets, then wrong pieces on a real connection to our
/// echo server, whose failures must name the piece and what it did.
@Suite("capstone pieces: exercise 09 times ICE's transactions, exercise 12 delivers beside usrsctp", .serialized)
struct CapstonePiecesTests {
    // MARK: hand-made SCTP packets (the gate never checks the CRC: DTLS already vouched for the bytes)

    static func packet(_ chunks: [[UInt8]]) -> [UInt8] {
        [0x13, 0x88, 0x13, 0x88, 0, 0, 0, 1, 0, 0, 0, 0] + chunks.flatMap { $0 }
    }

    static func initAck(initialTSN: UInt32) -> [UInt8] {
        [2, 0, 0, 20] + [0, 0, 0, 9] + [0, 1, 0, 0] + [0, 16, 0, 16] + be32(initialTSN)
    }

    static func data(tsn: UInt32, stream: UInt16, ssn: UInt16, unordered: Bool = false, begin: Bool = true, end: Bool = true,
                     _ text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        let flags: UInt8 = (unordered ? 4 : 0) | (begin ? 2 : 0) | (end ? 1 : 0)
        let length = 16 + payload.count
        var chunk: [UInt8] = [0, flags, UInt8(length >> 8), UInt8(length & 0xff)] + be32(tsn)
        chunk += [UInt8(stream >> 8), UInt8(stream & 0xff), UInt8(ssn >> 8), UInt8(ssn & 0xff)] + be32(51) + payload
        return chunk + Array(repeating: 0, count: (4 - length % 4) % 4)
    }

    static func be32(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8((value >> UInt32($0)) & 0xff) } }

    static func message(_ stream: UInt16, _ text: String, ppid: UInt32 = 51) -> SCTPMessage {
        SCTPMessage(stream: stream, ppid: ppid, bytes: Array(text.utf8), unordered: false)
    }

    static func texts(_ messages: [SCTPMessage]) -> [String] { messages.map { String(decoding: $0.bytes, as: UTF8.self) } }

    @Test("the gate releases a message once both receivers delivered it, with usrsctp's PPID, and reassembles across packets")
    func gateReleasesMatched() {
        let log = StreamReceiveExerciseLog()
        let gate = ExerciseStreamReceiveGate<Solutions.StreamReceive>(log: log)
        #expect(gate.packetArrived(Self.packet([Self.initAck(initialTSN: 100)])).isEmpty)
        // The second message first: it is whole, but SSN 0 comes before it.
        #expect(gate.packetArrived(Self.packet([Self.data(tsn: 102, stream: 1, ssn: 1, "b")])).isEmpty)
        // The first message in two fragments (TSNs 100 and 101), one per packet.
        #expect(gate.packetArrived(Self.packet([Self.data(tsn: 100, stream: 1, ssn: 0, end: false, "a1")])).isEmpty)
        // The student's receiver now delivers both, but usrsctp has not yet: both wait.
        #expect(gate.packetArrived(Self.packet([Self.data(tsn: 101, stream: 1, ssn: 0, begin: false, "a2")])).isEmpty)
        #expect(log.findings.inventedByStudent == 2, "\(log.findings)")
        let first = gate.usrsctpDelivered(Self.message(1, "a1a2", ppid: 53))
        #expect(Self.texts(first) == ["a1a2"] && first.first?.ppid == 53)
        #expect(Self.texts(gate.usrsctpDelivered(Self.message(1, "b"))) == ["b"])
        let findings = log.findings
        #expect(findings.fragments == 3 && findings.delivered == 2 && findings.agrees, "\(findings)")
    }

    /// A receiver that hands every fragment over at once as a message: no ordering at all.
    struct Hasty: StreamReceiveExercise {
        var cumulativeTSN: UInt32
        init(initialTSN: UInt32, limits: StreamReceiveLimits) { cumulativeTSN = initialTSN &- 1 }
        mutating func receive(_ fragment: DataFragment) throws -> [DeliveredMessage] {
            [DeliveredMessage(stream: fragment.stream, ssn: fragment.ssn, unordered: fragment.unordered, payload: fragment.payload)]
        }
        mutating func receive(_ forwardTSN: ForwardTSN) throws -> [DeliveredMessage] { [] }
    }

    @Test("the application sees the student's order, not usrsctp's: a receiver that ignores SSNs misorders the channel")
    func gateKeepsStudentOrder() {
        let log = StreamReceiveExerciseLog()
        let gate = ExerciseStreamReceiveGate<Hasty>(log: log)
        _ = gate.packetArrived(Self.packet([Self.initAck(initialTSN: 7)]))
        #expect(gate.packetArrived(Self.packet([Self.data(tsn: 8, stream: 2, ssn: 1, "second")])).isEmpty)
        #expect(gate.usrsctpDelivered(Self.message(2, "first")).isEmpty, "the student has not delivered \"first\" yet")
        #expect(Self.texts(gate.usrsctpDelivered(Self.message(2, "second"))) == ["second"])
        #expect(Self.texts(gate.packetArrived(Self.packet([Self.data(tsn: 7, stream: 2, ssn: 0, "first")]))) == ["first"])
        #expect(log.findings.lostByStudent == 0 && log.findings.inventedByStudent == 0)
    }

    /// Drops every message whose text is "burst 42", delivering the rest as the solution does.
    struct Forgetful: StreamReceiveExercise {
        var inner: Solutions.StreamReceive
        init(initialTSN: UInt32, limits: StreamReceiveLimits) { inner = .init(initialTSN: initialTSN, limits: limits) }
        var cumulativeTSN: UInt32 { inner.cumulativeTSN }
        mutating func receive(_ fragment: DataFragment) throws -> [DeliveredMessage] {
            try inner.receive(fragment).filter { $0.payload != Array("burst 42".utf8) }
        }
        mutating func receive(_ forwardTSN: ForwardTSN) throws -> [DeliveredMessage] { try inner.receive(forwardTSN) }
    }

    @Test("a message the student's receiver never delivers is counted, and I-DATA turns the gate into a pass-through")
    func gateCountsLostAndPassesIData() {
        let log = StreamReceiveExerciseLog()
        let gate = ExerciseStreamReceiveGate<Forgetful>(log: log)
        _ = gate.packetArrived(Self.packet([Self.initAck(initialTSN: 1)]))
        _ = gate.packetArrived(Self.packet([Self.data(tsn: 1, stream: 0, ssn: 0, "burst 42")]))
        #expect(gate.usrsctpDelivered(Self.message(0, "burst 42")).isEmpty)
        #expect(log.findings.lostByStudent == 1 && log.findings.firstLost?.payload == Array("burst 42".utf8) && !log.findings.agrees)

        let passing = ExerciseStreamReceiveGate<Solutions.StreamReceive>()
        _ = passing.packetArrived(Self.packet([Self.initAck(initialTSN: 1), [64, 3, 0, 20] + [UInt8](repeating: 0, count: 16)]))
        #expect(Self.texts(passing.usrsctpDelivered(Self.message(0, "x"))) == ["x"])
        #expect(passing.log.findings.mismatches.first?.contains("I-DATA") == true)
    }

    @Test("hostile packets: random bytes, truncated and oversized chunks, never trap the gate and never release what usrsctp did not deliver")
    func gateHostileInput() {
        var random = SplitMix64(seed: 42)
        let gate = ExerciseStreamReceiveGate<Solutions.StreamReceive>()
        _ = gate.packetArrived(Self.packet([Self.initAck(initialTSN: 1)]))
        var released = 0
        for round in 0..<3000 {
            var bytes = (0..<Int(random.next() % 200)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if round % 3 == 0, bytes.count > 16 {
                // A plausible chunk header with a lying length: DATA or FORWARD-TSN.
                bytes[12] = round % 2 == 0 ? 0 : 192
                bytes[14] = UInt8(truncatingIfNeeded: random.next())
                bytes[15] = UInt8(truncatingIfNeeded: random.next())
            }
            released += gate.packetArrived(bytes).count
        }
        #expect(released == 0, "only a message usrsctp delivered too may reach the channels")
    }

    // MARK: wrong pieces on a real connection (our echo server, loopback)

    /// A transaction whose start sends nothing: no check ever leaves.
    struct Silent: StunTransactionExercise {
        init(request: [UInt8], transactionID: [UInt8], configuration: StunTransactionConfiguration) {}
        mutating func start(now: Int) throws -> [StunTransactionAction] { [] }
        mutating func receive(_ response: StunResponse, now: Int) throws -> [StunTransactionAction] { [] }
        mutating func tick(now: Int) throws -> [StunTransactionAction] { [] }
        var nextDeadline: Int? { nil }
    }

    @Test("a transaction whose start sends nothing: no check leaves, the echo fails, and the transactions step names start")
    func silentTransaction() async throws {
        let pieces = try EchoExercisePieces.resolve(open: Solutions.DCEPOpen.self, channel: Solutions.DCEPChannel.self,
                                                    checklist: Solutions.IceChecklist.self, transaction: Silent.self,
                                                    streamReceive: Solutions.StreamReceive.self)
        let server = try await UseChannelExerciseTests.startServer(channel: Solutions.DCEPChannel.self)
        defer { server.task.cancel() }
        // The run lasts the whole time-out (the echo waits for a connection that cannot
        // come), which must leave ICE time to reach its first check: 5 s did not under
        // AddressSanitizer on a loaded machine.
        let command = try EchoCommand.parse([server.url, "--use-exercise", "--json", "--timeout", "15"])
        let result = try await command.makeClient(recorder: try Recorder(pcapPath: nil, keylogPath: nil), openCodec: pieces.codec,
                                              channelDrivers: pieces.drivers, pieces: pieces).run()
        #expect(!result.ok)
        let step = try #require(result.steps.first { $0.step == "transactions" })
        #expect(!step.ok && step.detail.contains("start(now: 0) returned []") && step.detail.contains("expected [send(request)]"),
                "\(step.detail)")
        #expect(pieces.transactionLog.findings.sends == 0)
    }

    @Test("a receiver that loses one message: that echo never reaches its channel, and the stream receive step names it")
    func forgetfulReceiver() async throws {
        let pieces = try EchoExercisePieces.resolve(open: Solutions.DCEPOpen.self, channel: Solutions.DCEPChannel.self,
                                                    checklist: Solutions.IceChecklist.self,
                                                    transaction: Solutions.StunTransaction.self, streamReceive: Forgetful.self)
        let server = try await UseChannelExerciseTests.startServer(channel: Solutions.DCEPChannel.self)
        defer { server.task.cancel() }
        let command = try EchoCommand.parse([server.url, "--use-exercise", "--json", "--timeout", "5"])
        let result = try await command.makeClient(recorder: try Recorder(pcapPath: nil, keylogPath: nil), openCodec: pieces.codec,
                                              channelDrivers: pieces.drivers, pieces: pieces).run()
        #expect(!result.ok && result.step == "burst (reliable)", "\(result.step ?? ""): \(result.error ?? "")")
        let step = try #require(result.steps.first { $0.step == "stream receive" })
        #expect(!step.ok && step.detail.contains("never delivered 1 message(s) usrsctp delivered") && step.detail.contains("\"burst 42\""),
                "\(step.detail)")
    }
}
