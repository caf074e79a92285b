import DataChannels
import Foundation
import Hummingbird
import Logging
import NIOCore
import WebRTC
import Wire

/// The echo server: `POST /offer` answered with a new peer connection that
/// echoes every message on the channel it came on (webrtc-echoes convention).
struct EchoServer {
    let address: TransportAddress
    let idleTimeout: Duration
    let maxConnections: Int
    let recorder: Recorder
    /// --use-exercise: the student's DATA_CHANNEL_OPEN codec (nil: the library's).
    var openCodec: DCEPOpenCodec? = nil
    /// --use-exercise: the student's DCEP state machine for each channel (nil: the library's).
    var channelDrivers: DCEPChannelDrivers? = nil
    /// The live-connection count to use (nil: a new one, `maxConnections` wide); a
    /// test passes its own to see the server's connections come and go.
    var connections: EchoConnections? = nil
    /// Told the address once the server accepts connections (tests run the server in-process).
    var onListening: @Sendable (String) -> Void = { address in
        print("{\"listening\":\"\(address)\"}")
        fflush(nil)
    }

    func run() async throws {
        let host = PeerConnectionHost(name: "echo-server")
        if recorder.pcapPath != nil {
            let recorder = self.recorder
            try await host.perform { host.setTap { recorder.tap($0) } }
        }
        let registry = connections ?? EchoConnections(maxConnections: maxConnections)
        let router = Router()
        let keyLogging = recorder.keylogPath != nil
        let recorder = self.recorder
        let idleTimeout = self.idleTimeout
        var settings = PeerConnectionConfiguration(keyLogging: keyLogging)
        settings.dcepOpenCodec = openCodec
        settings.dcepChannelDrivers = channelDrivers
        let configuration = settings
        router.post("/offer") { request, context -> Response in
            let offer: RTCSessionDescription
            do {
                offer = try await request.decode(as: RTCSessionDescription.self, context: context)
            } catch {
                return Self.plain(.badRequest, "the body must be {\"type\":\"offer\",\"sdp\":\"...\"}: \(error)")
            }
            guard offer.type == .offer else { return Self.plain(.badRequest, "expected an offer, got \(offer.type.rawValue)") }
            guard registry.reserve() else {
                return Self.plain(.serviceUnavailable, "too many connections (--max-connections \(maxConnections))")
            }
            do {
                let pc = try await RTCPeerConnection(configuration: configuration, host: host)
                let answer = try await Self.answer(offer, on: pc)
                registry.started(pc)
                Task { await Self.serve(pc, idleTimeout: idleTimeout, recorder: recorder, registry: registry) }
                return try Self.json(answer)
            } catch let error as PeerConnectionError {
                registry.release()
                return Self.plain(error.origin == .peer ? .badRequest : .internalServerError, "\(error)")
            } catch {
                registry.release()
                return Self.plain(.internalServerError, "\(error)")
            }
        }
        var logger = Logger(label: "datachannel-chat.echo")
        logger.logLevel = .warning
        let listen = address
        let onListening = self.onListening
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(listen.ip.description, port: Int(listen.port)),
                                 serverName: "datachannel-chat-echo"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? Int(listen.port)
                onListening("\(listen.ip.description):\(port)")
            },
            logger: logger)
        do {
            try await app.runService()
        } catch {
            throw ChatFailure(.localFailure, "the HTTP server on \(listen) failed: \(error)")
        }
        try recorder.finish()
    }

    /// Applies the offer, answers, and waits for every candidate (no trickle).
    static func answer(_ offer: RTCSessionDescription, on pc: RTCPeerConnection) async throws -> RTCSessionDescription {
        do {
            try await pc.setRemoteDescription(offer)
            let answer = try await pc.createAnswer()
            try await pc.setLocalDescription(answer)
            await pc.waitForGatheringComplete()
            guard let full = await pc.localDescription else {
                throw PeerConnectionError(.invalidState, "no local description after gathering")
            }
            return full
        } catch {
            await pc.close()
            throw error
        }
    }

    /// Echoes on every channel the peer opens, until the connection ends or idles.
    static func serve(_ pc: RTCPeerConnection, idleTimeout: Duration, recorder: Recorder, registry: EchoConnections) async {
        let lastActivity = ActivityClock()
        let channelsTask = Task {
            await withTaskGroup(of: Void.self) { group in
                for await channel in pc.incomingChannels {
                    group.addTask {
                        for await message in channel.messages {
                            lastActivity.touch()
                            do { try await channel.send(message) } catch { break }
                        }
                    }
                }
            }
        }
        // Ends on close/failure, or when nothing arrived for idleTimeout.
        while true {
            try? await Task.sleep(for: .milliseconds(250))
            let state = pc.connectionState
            if state == .closed || state == .failed { break }
            if lastActivity.idle > idleTimeout { break }
        }
        recorder.note(keyLog: pc.keyLogLines)
        try? recorder.flush()
        await pc.close()
        channelsTask.cancel()
        registry.ended(pc)
    }

    static func json(_ description: RTCSessionDescription) throws -> Response {
        let body = try JSONEncoder().encode(description)
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text + "\n")))
    }
}

/// The server's live connections, counted against --max-connections.
final class EchoConnections: Sendable {
    private let state: Locked<(reserved: Int, live: [ObjectIdentifier: RTCPeerConnection])>
    let maxConnections: Int

    init(maxConnections: Int) {
        self.maxConnections = maxConnections
        state = Locked((0, [:]))
    }

    /// Claims a slot; false when the server is full.
    func reserve() -> Bool {
        state.withLock { state in
            guard state.reserved < maxConnections else { return false }
            state.reserved += 1
            return true
        }
    }

    func release() { state.withLock { $0.reserved -= 1 } }

    /// Connections answered and not yet ended, and slots claimed (answering or live).
    var counts: (live: Int, reserved: Int) { state.withLock { ($0.live.count, $0.reserved) } }

    func started(_ pc: RTCPeerConnection) { state.withLock { $0.live[ObjectIdentifier(pc)] = pc } }

    func ended(_ pc: RTCPeerConnection) {
        state.withLock { state in
            if state.live.removeValue(forKey: ObjectIdentifier(pc)) != nil { state.reserved -= 1 }
        }
    }
}

/// When a connection last carried a message (for --idle-timeout).
final class ActivityClock: Sendable {
    private let last = Locked(ContinuousClock.now)

    func touch() { last.withLock { $0 = ContinuousClock.now } }

    var idle: Duration { ContinuousClock.now - last.withLock { $0 } }
}
