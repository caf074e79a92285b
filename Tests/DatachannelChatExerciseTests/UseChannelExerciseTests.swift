import DataChannels
import ExerciseHooks
import ExerciseInterfaces
import Foundation
import Solutions
import Synchronization
import Testing
import ToolTestSupport
import WebRTC
@testable import datachannel_chat

/// `datachannel-chat echo --use-exercise` with exercise 11: every channel's DCEP state
/// machine is the exercise code. The tool runs the student's code by default, which in
/// this repository is the starter (exit 4, tested below); the success path gets the
/// reference solutions of exercises 07 and 11 together, in-process, against a real aiortc
/// echo server and against our own server. Serialized: the calls are counted in one
/// place, and the machine has two cores.
@Suite("datachannel-chat echo --use-exercise with the reference solution of exercise 11 (solutions/11-dcep-channel)",
       .serialized)
struct UseChannelExerciseTests {
    static let root = Programs.repositoryRoot.path

    /// The client for `url` as `echo URL --use-exercise` builds it, with the solutions in place of the student's code.
    static func client(_ url: String, channel: any DCEPChannelExercise.Type = CountedChannel.self) throws -> EchoClient {
        let command = try EchoCommand.parse([url, "--use-exercise", "--json", "--timeout", "60"])
        let codec = try #require(try command.openCodec(exercise: Solutions.DCEPOpen.self))
        let drivers = try #require(try command.channelDrivers(exercise: channel))
        return try command.makeClient(recorder: try Recorder(pcapPath: nil, keylogPath: nil), openCodec: codec,
                                      channelDrivers: drivers)
    }

    /// Our echo server as `echo --serve --use-exercise` builds it, with `channel` for the student's code, started.
    static func startServer(channel: any DCEPChannelExercise.Type,
                            note: (@Sendable (String) -> Void)? = nil) async throws -> (url: String, task: Task<Void, any Error>) {
        let command = try EchoCommand.parse(["--serve", "--listen", "127.0.0.1:0", "--use-exercise", "--idle-timeout", "10"])
        // With a note, unchecked (a wrong machine on purpose); otherwise as the tool builds it.
        let drivers: DCEPChannelDrivers
        if let note {
            drivers = DCEPChannelExerciseHook.wrap(channel, note: note)
        } else {
            drivers = try #require(try command.channelDrivers(exercise: channel))
        }
        var server = try command.makeServer(recorder: try Recorder(pcapPath: nil, keylogPath: nil),
                                            openCodec: try command.openCodec(exercise: Solutions.DCEPOpen.self),
                                            channelDrivers: drivers)
        let (addresses, announce) = AsyncStream.makeStream(of: String.self)
        server.onListening = { announce.yield($0) }
        let configured = server
        let running = Task { try await configured.run() }
        var iterator = addresses.makeAsyncIterator()
        guard let address = await iterator.next() else {
            running.cancel()
            throw MissingExecutable("our echo server did not say it listens")
        }
        return ("http://\(address)/offer", running)
    }

    @Test("the starter stops the run before any packet with exit status 4 and says what to do")
    func starterStops() throws {
        let command = try EchoCommand.parse(["http://127.0.0.1:9/offer", "--use-exercise"])
        do {
            _ = try command.channelDrivers()   // the student's exercises/11-dcep-channel, here the starter
            Issue.record("the starter was accepted")
        } catch let failure as ChatFailure {
            #expect(failure.exit == .exerciseFailure && failure.exit.rawValue == 4)
            #expect(failure.message == "--use-exercise: handle in exercises/11-dcep-channel/DCEPChannel.swift is not "
                    + "implemented yet (it throws notImplemented); write it, then check it with `lab check 11`")
        }
        if try EchoCommand.parse(["http://127.0.0.1:9/offer"]).channelDrivers() != nil {
            Issue.record("without the flag the library's state machine runs, not the exercise's")
        }
    }

    @Test("the check before any packet passes with the solution and names the step a wrong machine gets wrong")
    func checkBeforeTheRun() throws {
        try DCEPChannelExerciseHook.check(Solutions.DCEPChannel.self)
        do {
            try DCEPChannelExerciseHook.check(UnorderedBeforeAck.self)
            Issue.record("early data sent unordered was accepted")
        } catch let failure as ChatFailure {
            #expect(failure.exit == .exerciseFailure)
            #expect(failure.message.contains("your handle(.appSend(\"hello\" (PPID 51))) in exercises/11-dcep-channel/DCEPChannel.swift"))
            #expect(failure.message.contains("(a channel we open, after .openRequested(channelType: 0x80"))
            #expect(failure.message.contains("expected: [.sendData(\"hello\" (PPID 51), ordered: true)]"))
            #expect(failure.message.contains("actual:   [.sendData(\"hello\" (PPID 51), ordered: false)]"))
        }
    }

    @Test("our client runs its six channels through the solution, against a real aiortc echo server: every step passes")
    func againstAiortc() async throws {
        let python = Self.root + "/.venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw MissingExecutable("aiortc is not installed (\(python) is missing): run scripts/setup.sh")
        }
        let server = try BackgroundProgram(python, [Self.root + "/scripts/interop/aiortc_echo.py", "--serve", "--listen", "127.0.0.1:0"],
                                           input: false)
        defer { _ = server.stop() }
        let url = try UseExerciseTests.offerURL(from: server)
        let client = try Self.client(url)
        CountedChannel.reset()
        let result = await client.run()
        UseExerciseTests.expectComplete(result, "aiortc server: \(server.stop())")
        let tally = CountedChannel.summary
        #expect(CountedChannel.count("openRequested") == 6 && CountedChannel.count("sendOpen") == 6, "\(tally)")
        // Each channel opened through the exercise code: by the ACK, or by an echo that overtook it.
        #expect(CountedChannel.count("stateChanged(.open)") == 6, "\(tally)")
        #expect(CountedChannel.count("receivedData") == CountedChannel.count("deliver"), "\(tally)")
        #expect(CountedChannel.count("deliver") >= 6 * 104, "every echo delivered by the exercise code: \(tally)")
        // The three unordered channels send unordered once acknowledged, as the exercise code says.
        #expect(CountedChannel.count("sendData(ordered: false)") >= 3 * 100, "\(tally)")
        #expect(CountedChannel.count("error(.ackWithoutOpen)") == 0 && CountedChannel.count("error(.dataWithoutChannel)") == 0, "\(tally)")
    }

    @Test("the capstone's five pieces (07, 09, 10, 11, 12) at once, against our server, the first check's answer lost: every step passes")
    func allPiecesAgainstOurServer() async throws {
        let pieces = try EchoExercisePieces.resolve(open: Solutions.DCEPOpen.self, channel: Solutions.DCEPChannel.self,
                                                    checklist: Solutions.IceChecklist.self,
                                                    transaction: Solutions.StunTransaction.self,
                                                    streamReceive: Solutions.StreamReceive.self)
        #expect(pieces.report == ["07-dcep-open": "yours", "09-stun-transaction": "yours", "10-ice-checklist": "yours",
                                  "11-dcep-channel": "yours", "12-stream-receive": "yours"])
        let server = try await Self.startServer(channel: Solutions.DCEPChannel.self)
        defer { server.task.cancel() }
        let command = try EchoCommand.parse([server.url, "--use-exercise", "--json", "--timeout", "60", "--drop-check-answers", "1"])
        let client = try command.makeClient(recorder: try Recorder(pcapPath: nil, keylogPath: nil), openCodec: pieces.codec,
                                            channelDrivers: pieces.drivers, pieces: pieces)
        let result = await client.run()
        #expect(result.ok, "\(result.step ?? ""): \(result.error ?? "")")
        // Exercise 09: the lost answer made the student's transaction send its check again.
        let transactions = try #require(result.steps.first { $0.step == "transactions" })
        #expect(transactions.ok && transactions.detail.contains("1 answer(s) lost on purpose"), "\(transactions.detail)")
        #expect(pieces.transactionLog.findings.retransmissions >= 1 && pieces.transactionLog.findings.completed >= 1,
                "\(pieces.transactionLog.findings)")
        // Exercise 12: every message the channels got came out of the student's receiver.
        let receive = try #require(result.steps.first { $0.step == "stream receive" })
        #expect(receive.ok && receive.detail.hasSuffix("the same as usrsctp's; the channels got yours"), "\(receive.detail)")
        let delivered = pieces.streamReceiveLog.findings
        #expect(delivered.delivered >= 6 * 104 && delivered.fragments >= delivered.delivered, "\(delivered)")
        let checklist = try #require(result.steps.first { $0.step == "checklist" })
        #expect(checklist.ok && checklist.detail.hasPrefix("your IceChecklist formed "), "\(checklist.detail)")
        // Loopback host candidates on both sides: at least one pair, formed as RFC 8445 forms it. (Whether
        // the student's code or a triggered check gets to check it first is a race on loopback.)
        #expect(!checklist.detail.contains("formed 0 pair"), "\(checklist.detail)")
    }

    @Test("a checklist that throws fails the client's checklist step, naming the function")
    func throwingChecklist() async throws {
        struct Refuses: IceChecklistExercise {
            init() {}
            var pairs: [IceChecklistPair] { get throws { [] } }
            mutating func form(local: [IceChecklistCandidate], remote: [IceChecklistCandidate], controlling: Bool) throws {
                throw ExerciseError.invalidInput("no")
            }
            mutating func nextPairToCheck() throws -> IceChecklistPair? { nil }
            mutating func checkSucceeded(_ pair: IceChecklistPair) throws {}
            mutating func checkFailed(_ pair: IceChecklistPair) throws {}
        }
        let server = try await Self.startServer(channel: Solutions.DCEPChannel.self)
        defer { server.task.cancel() }
        let command = try EchoCommand.parse([server.url, "--json", "--timeout", "30"])
        let client = try command.makeClient(recorder: try Recorder(pcapPath: nil, keylogPath: nil), openCodec: nil,
                                            iceChecklistStrategy: IceChecklistProbe.strategy(Refuses.self))
        let result = await client.run()
        #expect(!result.ok)
        let checklist = try #require(result.steps.first { $0.step == "checklist" })
        #expect(!checklist.ok && checklist.detail.contains("form(local:remote:controlling:) threw invalidInput(no)"), "\(checklist.detail)")
    }

    @Test("our client and our server, both running the solution in-process: every channel opened and accepted by it")
    func againstOurServer() async throws {
        let server = try await Self.startServer(channel: CountedChannel.self)
        defer { server.task.cancel() }
        let client = try Self.client(server.url)
        CountedChannel.reset()
        let result = await client.run()
        UseExerciseTests.expectComplete(result, "our server")
        let tally = CountedChannel.summary
        #expect(CountedChannel.count("openRequested") == 6 && CountedChannel.count("receivedOpen") == 6, "\(tally)")
        #expect(CountedChannel.count("sendAck") == 6, "the server's six ACKs answered by the exercise code: \(tally)")
        #expect(CountedChannel.count("stateChanged(.open)") == 12, "six channels open on each side: \(tally)")
        // Every message crosses two machines: sent by the client's, received and sent back by
        // the server's, received by the client's.
        #expect(CountedChannel.count("appSend") == CountedChannel.count("sendData(ordered: true)")
                + CountedChannel.count("sendData(ordered: false)"), "\(tally)")
        #expect(CountedChannel.count("deliver") >= 2 * 6 * 104, "\(tally)")
    }

    @Test("a server whose machine never delivers echoes nothing: the client's first message gets no echo, and the run says so")
    func neverDeliveringServer() async throws {
        #expect(throws: ChatFailure.self) { try DCEPChannelExerciseHook.check(NeverDelivers.self) }
        let server = try await Self.startServer(channel: NeverDelivers.self, note: { _ in })
        defer { server.task.cancel() }
        let command = try EchoCommand.parse([server.url, "--json", "--timeout", "3"])
        let result = try await command.makeClient(recorder: try Recorder(pcapPath: nil, keylogPath: nil), openCodec: nil).run()
        #expect(result.steps.filter { $0.step == "open" }.count == 6, "\(result.jsonLine)")
        #expect(!result.ok && result.step == "text (reliable)" && result.error?.contains("0 of 1 echoes") == true,
                "\(result.jsonLine)")
    }
}
