import AsyncHTTPClient
import DataChannels
import DataTransport
import ExerciseHooks
import Foundation
import ICE
import NIOCore
import SDP
import WebRTC
import Wire

/// The echo client: offers one channel per channel type, POSTs the offer, and
/// checks every echo (see EchoCommand's help for the steps).
struct EchoClient {
    let url: String
    let size: Int
    let timeout: Duration
    let recorder: Recorder
    /// --use-exercise: the student's DATA_CHANNEL_OPEN codec (nil: the library's).
    var openCodec: DCEPOpenCodec? = nil
    /// --use-exercise: the student's DCEP state machine for each channel (nil: the library's).
    var channelDrivers: DCEPChannelDrivers? = nil
    /// --ignore-max-message-size: send the large message at `size` even over the peer's limit.
    var ignoreMaxMessageSize = false
    /// --use-exercise: the student's exercise 10 checklist for our ICE agent (nil: the library's).
    var iceChecklistStrategy: (any ICEChecklistStrategy)? = nil
    /// --use-exercise and --drop-check-answers: who times our ICE agent's STUN transactions
    /// (nil: the library's `STUNClientTransaction`, with no loss).
    var checkTransactions: (any ICECheckTransactionFactory)? = nil
    /// --use-exercise: the student's exercise 12 receiver beside usrsctp (nil: usrsctp's alone).
    var receiveGates: (any SCTPReceiveGateFactory)? = nil
    /// --use-exercise: the logs the "transactions" and "stream receive" steps report from
    /// (nil: that exercise did not run).
    var transactionLog: TransactionExerciseLog? = nil
    var streamReceiveLog: StreamReceiveExerciseLog? = nil
    /// --drop-check-answers: the loss, to say how many answers it took.
    var answerLoss: CheckAnswerLoss? = nil

    /// One channel per DCEP channel type (RFC 8832 §5.1).
    struct ChannelSpec: Sendable {
        var label: String
        var options: RTCDataChannelInit
        var reliable: Bool { options.maxRetransmits == nil && options.maxPacketLifeTime == nil }
    }

    static let specs: [ChannelSpec] = [
        ChannelSpec(label: "reliable", options: RTCDataChannelInit()),
        ChannelSpec(label: "reliable-unordered", options: RTCDataChannelInit(ordered: false)),
        ChannelSpec(label: "rexmit0", options: RTCDataChannelInit(maxRetransmits: 0)),
        ChannelSpec(label: "rexmit0-unordered", options: RTCDataChannelInit(ordered: false, maxRetransmits: 0)),
        ChannelSpec(label: "lifetime1000", options: RTCDataChannelInit(maxPacketLifeTime: 1000)),
        ChannelSpec(label: "lifetime1000-unordered", options: RTCDataChannelInit(ordered: false, maxPacketLifeTime: 1000)),
    ]

    /// A wait that ran out; the step it happened in names the failure.
    struct Timeout: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    /// A failed step, carried out of the run.
    struct StepFailure: Error {
        var step: String
        var channel: String?
        var reason: String
    }

    /// Runs every step; never throws (a failure is a result).
    func run() async -> EchoResult {
        let started = ContinuousClock.now
        var result = EchoResult(ok: false, url: url)
        result.channel_types = Self.specs.map(\.label)
        let host = PeerConnectionHost(name: "echo-client")
        var connection: RTCPeerConnection?
        do {
            if recorder.pcapPath != nil {
                let recorder = self.recorder
                try await host.perform { host.setTap { recorder.tap($0) } }
            }
            let pc = try await step("connect", into: &result) {
                var configuration = PeerConnectionConfiguration(keyLogging: recorder.keylogPath != nil)
                configuration.dcepOpenCodec = openCodec
                configuration.dcepChannelDrivers = channelDrivers
                configuration.iceChecklistStrategy = iceChecklistStrategy
                configuration.iceCheckTransactions = checkTransactions
                configuration.sctpReceiveGates = receiveGates
                return try await RTCPeerConnection(configuration: configuration, host: host)
            }
            connection = pc
            try await exchange(pc, into: &result)
        } catch let failure as StepFailure {
            result.step = failure.channel.map { "\(failure.step) (\($0))" } ?? failure.step
            result.error = failure.reason
        } catch {
            result.step = "connect"
            result.error = "\(error)"
        }
        if let connection, iceChecklistStrategy != nil {
            await reportChecklist(of: connection, into: &result)
        }
        if let transactionLog { EchoExerciseSteps.reportTransactions(transactionLog.findings, lost: answerLoss?.dropped, into: &result) }
        if let streamReceiveLog { EchoExerciseSteps.reportStreamReceive(streamReceiveLog.findings, into: &result) }
        if let connection {
            recorder.note(keyLog: connection.keyLogLines)
            await connection.close()
        }
        result.ok = result.error == nil
        result.elapsed_ms = Self.milliseconds(ContinuousClock.now - started)
        return result
    }

    /// --use-exercise, exercise 10: one more step saying what the student's checklist did,
    /// failed when it threw or formed other pairs than RFC 8445 §6.1.2 does.
    private func reportChecklist(of pc: RTCPeerConnection, into result: inout EchoResult) async {
        guard let strategy = try? await pc.iceChecklistStrategy(),
              let findings = (strategy as? any ChecklistExerciseReporting)?.findings else { return }
        let detail: String
        if let problem = findings.problem {
            detail = "your IceChecklist: \(problem)"
        } else if !findings.formed {
            detail = "your IceChecklist was never formed (ICE gathering did not complete)"
        } else if let mismatch = findings.mismatches.first {
            detail = "your IceChecklist disagrees with RFC 8445: \(mismatch)"
        } else {
            detail = "your IceChecklist formed \(findings.studentRows.count) pair(s) and chose \(findings.checks.count) "
                + "ordinary check(s); \(findings.settledByTriggeredChecks) settled by triggered checks"
        }
        result.steps.append(EchoStep(step: "checklist", channel: nil, ok: findings.agrees, detail: detail, ms: 0))
        if !findings.agrees, result.error == nil {
            result.step = "checklist"
            result.error = detail
        }
    }

    private func exchange(_ pc: RTCPeerConnection, into result: inout EchoResult) async throws {
        var channels: [(ChannelSpec, RTCDataChannel, MessageInbox)] = []
        for spec in Self.specs {
            let channel = try await step("create", channel: spec.label, into: &result) {
                try await pc.createDataChannel(spec.label, options: spec.options)
            }
            channels.append((spec, channel, MessageInbox(channel: channel)))
        }
        let answer = try await step("signal", into: &result) { () async throws -> RTCSessionDescription in
            let offer = try await pc.createOffer()
            try await pc.setLocalDescription(offer)
            try await Self.within(timeout, "ICE gathering did not complete") { await pc.waitForGatheringComplete() }
            guard let full = await pc.localDescription else { throw StepFailure(step: "signal", reason: "no local description") }
            let answer = try await post(full)
            try await pc.setRemoteDescription(answer)
            // The echo exchange is not trickled: the server answers once its gathering is
            // complete, so the answer holds all of its candidates. Saying so (end-of-candidates,
            // RFC 8838 §8.2) lets ICE treat the remote list as final, as a checklist formed once
            // from both final lists (exercise 10 via --use-exercise) needs.
            try await pc.addIceCandidate(nil)
            return answer
        }
        let parsedAnswer = try? answer.parsed()
        let remote = parsedAnswer.flatMap { try? RemoteDataChannelDescription(validating: $0, as: .answer) }
        let declared = parsedAnswer.flatMap { description in description.media.lazy.compactMap(\.maxMessageSize).first }
        result.remote_max_message_size = declared.map { Int(clamping: $0) }
        let peerLimit = remote.map { $0.maxMessageSize == 0 ? Int.max : Int(clamping: $0.maxMessageSize) } ?? 65_536
        let large = ignoreMaxMessageSize ? size : min(size, peerLimit, PeerConnectionConfiguration().maxMessageSize)
        result.large_size = large

        for (spec, channel, _) in channels {
            try await step("open", channel: spec.label, into: &result) {
                let state = try await Self.within(timeout, "the channel did not open") { await channel.waitUntilOpen() }
                guard state == .open else { throw StepFailure(step: "open", channel: spec.label, reason: "the channel is \(state.rawValue)") }
                return "id \(channel.id.map(String.init) ?? "?")"
            }
        }
        for (spec, channel, inbox) in channels {
            try await echo("text", spec, channel, inbox, [.text("hello from webrtc-lab ✓")], into: &result)
            try await echo("binary", spec, channel, inbox, [.binary((0...255).map(UInt8.init))], into: &result)
            try await echo("empty-text", spec, channel, inbox, [.text("")], into: &result)
            try await echo("empty-binary", spec, channel, inbox, [.binary([])], into: &result)
            try await echo("burst", spec, channel, inbox, (0..<100).map { .text("burst \($0)") }, into: &result)
            if spec.reliable {
                let pattern = (0..<large).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
                try await echo("large", spec, channel, inbox, [.binary(pattern)], into: &result)
            }
        }
    }

    /// Sends `messages`, waits for as many echoes, and compares: in order on an
    /// ordered channel, as a multiset on an unordered one.
    private func echo(_ name: String, _ spec: ChannelSpec, _ channel: RTCDataChannel, _ inbox: MessageInbox,
                      _ messages: [DataChannelMessage], into result: inout EchoResult) async throws {
        try await step(name, channel: spec.label, into: &result) { () async throws -> String in
            for message in messages { try await channel.send(message) }
            var echoes: [DataChannelMessage] = []
            for _ in messages {
                guard let echo = await inbox.next(timeout: timeout) else {
                    throw StepFailure(step: name, channel: spec.label,
                                      reason: "\(echoes.count) of \(messages.count) echoes arrived before the timeout")
                }
                echoes.append(echo)
            }
            let matches = spec.options.ordered ? echoes == messages
                : echoes.map(Self.key).sorted() == messages.map(Self.key).sorted()
            guard matches else {
                let first = zip(messages, echoes).first { $0 != $1 }
                throw StepFailure(step: name, channel: spec.label,
                                  reason: "echo differs: sent \(first.map { Self.describe($0.0) } ?? "?"), got \(first.map { Self.describe($0.1) } ?? "?")")
            }
            let bytes = messages.map(\.byteCount).reduce(0, +)
            return messages.count == 1 ? Self.describe(messages[0]) + " echoed" : "\(messages.count) messages, \(bytes) bytes echoed"
        }
    }

    private static func key(_ message: DataChannelMessage) -> String {
        switch message {
        case let .text(text): return "t:" + text
        case let .binary(bytes): return "b:" + bytes.map { String($0) }.joined(separator: ",")
        }
    }

    static func describe(_ message: DataChannelMessage) -> String {
        switch message {
        case let .text(text): return text.count <= 24 ? "text \"\(text)\"" : "text of \(text.utf8.count) bytes"
        case let .binary(bytes): return "binary of \(bytes.count) bytes"
        }
    }

    // MARK: - HTTP

    private func post(_ offer: RTCSessionDescription) async throws -> RTCSessionDescription {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(offer)))
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(Int64(timeout.components.seconds)))
        } catch {
            throw StepFailure(step: "signal", reason: "POST \(url) failed: \(error)")
        }
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else {
            throw StepFailure(step: "signal", reason: "POST \(url) answered \(response.status.code): \(String(buffer: body).prefix(200))")
        }
        do {
            let answer = try JSONDecoder().decode(RTCSessionDescription.self, from: Data(buffer: body))
            guard answer.type == .answer else { throw StepFailure(step: "signal", reason: "the server sent a \(answer.type), not an answer") }
            return answer
        } catch let failure as StepFailure {
            throw failure
        } catch {
            throw StepFailure(step: "signal", reason: "the answer is not {\"type\":\"answer\",\"sdp\":...}: \(error)")
        }
    }

    // MARK: - Steps and deadlines

    /// Runs one step, records it, and turns any error into a `StepFailure` naming it.
    @discardableResult
    private func step<T>(_ name: String, channel: String? = nil, into result: inout EchoResult,
                         _ body: () async throws -> T) async throws -> T {
        let started = ContinuousClock.now
        do {
            let value = try await body()
            let detail = (value as? String) ?? ""
            if !(name == "create") {
                result.steps.append(EchoStep(step: name, channel: channel, ok: true, detail: detail,
                                             ms: Self.milliseconds(ContinuousClock.now - started)))
            }
            return value
        } catch {
            let failure = (error as? StepFailure) ?? StepFailure(step: name, channel: channel, reason: "\(error)")
            result.steps.append(EchoStep(step: failure.step, channel: failure.channel ?? channel, ok: false, detail: failure.reason,
                                         ms: Self.milliseconds(ContinuousClock.now - started)))
            throw StepFailure(step: failure.step, channel: failure.channel ?? channel, reason: failure.reason)
        }
    }

    /// `body`, or a failure saying `what` when it takes longer than `limit` (also the
    /// load test's failure bound). The waits inside (channel open, gathering) cannot
    /// be cancelled, so this races two unstructured tasks instead of a task group,
    /// which would wait for both.
    static func within<T: Sendable>(_ limit: Duration, _ what: String,
                                     _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let once = Once()
        return try await withCheckedThrowingContinuation { continuation in
            Task {
                do {
                    let value = try await body()
                    if once.claim() { continuation.resume(returning: value) }
                } catch {
                    if once.claim() { continuation.resume(throwing: error) }
                }
            }
            Task {
                try? await Task.sleep(for: limit)
                if once.claim() { continuation.resume(throwing: Timeout(reason: "\(what) within \(limit)")) }
            }
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}

/// True for the first caller of `claim()` only: who resumes a raced continuation.
final class Once: Sendable {
    private let taken = Locked(false)

    func claim() -> Bool {
        taken.withLock { taken in
            defer { taken = true }
            return !taken
        }
    }
}
