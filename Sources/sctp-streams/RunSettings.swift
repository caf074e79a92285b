import ExerciseInterfaces
import Exercises

/// The command line turned into the values a run needs (validated already).
struct RunSettings {
    /// --use-exercise: the student's exercise 12 receiver delivers the messages.
    var useExercise: Bool
    /// --fragment-size: payload bytes per fragment under --use-exercise.
    var fragmentSize: Int
    /// Whose exercise 12 code --use-exercise runs: the student's, except in tests that
    /// prove the success path with the reference solution.
    var exercise: any StreamReceiveExercise.Type
    var loss: Double
    var delayMs: Double
    var messages: Int
    var size: Int
    /// --max-message-size: the receiver's a=max-message-size (nil: SCTP's default).
    var maxMessageSize: Int?
    var streamsPerMode: Int
    var modes: [DeliveryMode]
    var partialReliability: PartialReliability
    var intervalMs: Double
    var seed: UInt64
    /// SO_RCVBUF/SO_SNDBUF to ask for, nil for the system default.
    var udpBuffer: Int?
    var timeoutSeconds: Double
    var pcap: String?
    var keylog: String?
    var json: Bool

    init(_ command: StreamsCommand, exercise: any StreamReceiveExercise.Type = Exercises.StreamReceive.self) throws {
        useExercise = command.useExercise
        fragmentSize = command.fragmentSize ?? Self.defaultFragmentSize
        self.exercise = exercise
        loss = try command.lossProbability
        delayMs = command.delay
        messages = command.messages
        size = command.size
        maxMessageSize = command.maxMessageSize
        streamsPerMode = command.streams
        modes = try command.modeList
        partialReliability = command.partialReliability
        intervalMs = command.interval
        seed = command.seed
        udpBuffer = command.udpBuffer == 0 ? nil : command.udpBuffer
        timeoutSeconds = command.timeout
        pcap = command.pcap
        keylog = command.keylog
        json = command.json
    }

    /// --fragment-size's default: a default 100-byte message becomes three fragments.
    static let defaultFragmentSize = 40

    /// The stream id of stream `index` of mode number `modeIndex`. Ids are spread
    /// so that a DTLS client's and server's ids never collide (RFC 8832 §6: the
    /// client uses even ids), even though only the client sends here.
    func streamID(modeIndex: Int, index: Int) -> UInt16 {
        UInt16((modeIndex * streamsPerMode + index) * 2)
    }

    /// Messages of mode number `modeIndex` that go on its stream `index` (round-robin).
    func messages(onStream index: Int) -> Int {
        messages / streamsPerMode + (index < messages % streamsPerMode ? 1 : 0)
    }
}
