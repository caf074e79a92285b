#if canImport(Glibc)
import Glibc
#endif
import PacketCapture
import SocketDriver
import STUN
import Wire

/// `stun-probe --serve`: a STUN server on one UDP socket, logging every request.
///
/// It runs until killed, until `--duration` passes, or until standard input is
/// a pipe that closes (so a test or script that started it cannot leak it).
/// Standard input that is a terminal or /dev/null is not watched: a server
/// started in the background of a shell must keep running.
struct ServeMode {
    let command: ProbeCommand

    func run() throws {
        Self.unblockStopSignals()
        let target = try ServerTarget(parsing: command.listen, allowPortZero: true)
        guard let ip = target.literal else {
            throw ProbeFailure(.usage, "--listen needs an IP address, not a name: \(command.listen)")
        }
        let socket: UDPSocket
        do {
            socket = try UDPSocket(bindingTo: TransportAddress(ip, target.port))
        } catch let error as SocketError {
            throw ProbeFailure(.localFailure, error.reason)
        }
        let loop = EventLoop()
        let capture = try command.pcap.map { try CaptureWriter(path: $0) }
        loop.tap = { capture?.record($0) }
        let configuration = ServerEndpoint.configuration(credentials: command.credentials)
        var answered = 0
        loop.attach(ServerEndpoint(configuration: configuration), sockets: [socket]) { event, _ in
            if case .answered = event { answered += 1 }
            print(event)
            fflush(nil) // tests and scripts read this log through a pipe, line by line
        }
        var authentication = "no authentication"
        if let credentials = command.credentials {
            authentication = "short-term credentials required (user \"\(credentials.username)\")"
        }
        print("stun-probe: STUN server listening on \(socket.localAddress) (\(authentication))")
        if let capture { print("stun-probe: writing every datagram to \(capture.path)") }
        fflush(nil)
        if Self.stdinIsPipe() {
            loop.watchReadable(fileDescriptor: STDIN_FILENO) {
                var buffer = [UInt8](repeating: 0, count: 512)
                let count = read(STDIN_FILENO, &buffer, buffer.count)
                if count <= 0 { loop.stop() }
            }
        }
        let deadline = command.duration.map { SystemClock.now() + .nanoseconds(Int64($0 * 1_000_000_000)) }
        do {
            try loop.run(until: deadline)
        } catch let error as SocketError {
            throw ProbeFailure(.localFailure, error.reason)
        }
        print("stun-probe: server stopped after answering \(answered) request\(answered == 1 ? "" : "s")")
        if let failure = capture?.failure { throw failure }
    }

    /// A server must die on Ctrl-C and kill(1) even when its parent blocked those
    /// signals (the mask is inherited across exec; some test runners block them).
    static func unblockStopSignals() {
        var signals = sigset_t()
        sigemptyset(&signals)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&signals, signal) }
        sigprocmask(SIG_UNBLOCK, &signals, nil)
    }

    /// True when stdin is a pipe or socket (a parent that may close it), not a tty or /dev/null.
    static func stdinIsPipe() -> Bool {
        var status = stat()
        guard fstat(STDIN_FILENO, &status) == 0 else { return false }
        let kind = status.st_mode & S_IFMT
        return kind == S_IFIFO || kind == S_IFSOCK
    }
}

/// Writes tapped datagrams to a pcap file, remembering the first write error
/// (a full disk must not stop the probe halfway; it is reported at the end).
final class CaptureWriter {
    let path: String
    private let file: PcapFile
    private(set) var failure: ProbeFailure?

    init(path: String) throws {
        self.path = path
        do {
            file = try PcapFile(path: path, unixNanosecondsAtInstantZero: SystemClock.unixOffsetOfMonotonicZero())
        } catch let error as PacketCaptureError {
            throw ProbeFailure(.localFailure, error.reason)
        }
    }

    /// Appends one datagram.
    func record(_ tapped: TappedDatagram) {
        do {
            try file.write(tapped.datagram, at: tapped.at)
        } catch {
            if failure == nil { failure = ProbeFailure(.localFailure, "cannot write \(path): \(error)") }
        }
    }

    /// Datagrams written.
    var count: Int { file.recordCount }

    /// Flushes and closes the file.
    func close() { file.close() }
}
