import DTLS
import ExerciseInterfaces
import SDP
import SocketDriver
import Wire

/// What one side does once the association is up: the client sends the message
/// (again every 250 ms until echoed, since DTLS does not retransmit application
/// data and --loss may eat it) and then closes; the server echoes every message.
final class Conversation {
    let state: SideState
    let endpoint: TracedEndpoint
    private let log: FlightLog
    private let message: [UInt8]
    /// --use-exercise: the exercise code that judges the peer's certificate once connected.
    private let exercise: (any DTLSFingerprintExercise.Type)?
    /// Set right after `EventLoop.attach`.
    var handle: EndpointHandle<TracedEndpoint>?
    weak var loop: EventLoop?

    private(set) var sendAttempts = 0
    private var lastSend: Duration?
    private(set) var firstSentAt: Duration?
    private(set) var echoedAt: Duration?
    private(set) var closedAt: Duration?
    /// Messages the server echoed.
    private(set) var echoCount = 0
    /// --use-exercise: the student's code disagreed with the verification that let the peer in.
    private(set) var exerciseDisagreed = false

    static let resendInterval: Duration = .milliseconds(250)
    static let maximumAttempts = 12

    init(state: SideState, endpoint: TracedEndpoint, log: FlightLog, message: String,
         exercise: (any DTLSFingerprintExercise.Type)?) {
        self.state = state
        self.endpoint = endpoint
        self.log = log
        self.message = Array(message.utf8)
        self.exercise = exercise
    }

    var isClient: Bool { state.name == "client" }

    func onEvent(_ event: DTLSEvent, _ now: Instant) {
        state.record(event, elapsed: log.elapsed)
        switch event {
        case let .connected(info):
            log.note("\(state.name): handshake complete after \(FlightLog.millis(info.handshakeDuration)): "
                     + "\(info.protocolVersion), \(info.cipherSuite), peer certificate \(info.peerFingerprint)")
            if let exercise, let expected = state.expected ?? endpoint.trustedOnFirstUse {
                let verdict = FingerprintExercise.verdict(peerCertificateDER: info.peerCertificateDER, expected: expected,
                                                          using: exercise)
                state.studentVerdict = verdict.line
                if !verdict.agrees { exerciseDisagreed = true }
            }
            if isClient { sendMessage() }
        case let .applicationData(bytes):
            let text = String(decoding: bytes, as: UTF8.self)
            if isClient {
                guard bytes == message, echoedAt == nil else { return }
                echoedAt = log.elapsed
                log.note("client: echo received, \"\(text)\" (\(bytes.count) bytes); closing with close_notify")
                close()
            } else {
                log.note("server: received \"\(text)\" (\(bytes.count) bytes); echoing it")
                echoCount += 1
                send(bytes)
            }
        case let .failed(error):
            log.note("\(state.name): FAILED: \(error.reason)")
        case .closed:
            if closedAt == nil { closedAt = log.elapsed }
        case .alert, .keyLog, .retransmitted:
            break
        }
    }

    /// Called every tick: resends the message while no echo came back.
    func tick() {
        guard isClient, state.connection != nil, echoedAt == nil, !state.isFinished,
              let lastSend, log.elapsed - lastSend >= Self.resendInterval, sendAttempts < Self.maximumAttempts else { return }
        log.note("client: no echo after \(FlightLog.millis(log.elapsed - lastSend)); sending the message again")
        sendMessage()
    }

    /// The client gave up waiting for the echo.
    var echoAbandoned: Bool {
        guard isClient, echoedAt == nil, let lastSend else { return false }
        return sendAttempts >= Self.maximumAttempts && log.elapsed - lastSend >= Self.resendInterval
    }

    func close() {
        guard let loop, let handle else { return }
        if closedAt == nil { closedAt = log.elapsed }
        loop.withEndpoint(handle) { $0.dtls?.close() }
    }

    private func sendMessage() {
        sendAttempts += 1
        lastSend = log.elapsed
        if firstSentAt == nil { firstSentAt = lastSend }
        send(message)
    }

    private func send(_ bytes: [UInt8]) {
        guard let loop, let handle else { return }
        let failure: DTLSError? = loop.withEndpoint(handle) { endpoint in
            do throws(DTLSError) {
                try endpoint.dtls?.send(bytes)
                return nil
            } catch {
                return error
            }
        }
        if let failure { log.note("\(state.name): cannot send: \(failure.reason)") }
    }
}
