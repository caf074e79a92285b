#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SocketDriver
import Wire

/// The one thread that runs peer connections on real UDP.
///
/// It owns the sockets, one `EventLoop` (poll(2), every core's timer) and a
/// command queue: any thread may `submit` a closure, which runs on the host
/// thread between two loop steps, woken through a pipe.
/// Every call into a `PeerConnectionCore` — and so into OpenSSL and usrsctp on
/// behalf of a connection — happens on this thread. Many connections share one
/// host; `PeerConnectionHost.shared` is the process's default.
///
/// `@unchecked Sendable`: the loop, the attached cores and `contexts` are only
/// touched on the host thread (inside `run` and the closures it calls); the
/// command queue and the dirty set are behind a `Locked` lock.
public final class PeerConnectionHost: @unchecked Sendable {
    /// The host most programs need: started on first use, never stopped.
    public static let shared = PeerConnectionHost(name: "webrtc-host")

    /// One attached connection, as the host thread sees it.
    public final class Attachment {
        /// The core.
        public let core: PeerConnectionCore
        /// Its sockets (closed on detach).
        public let sockets: [UDPSocket]
        let handle: EndpointHandle<PeerConnectionCore>

        init(core: PeerConnectionCore, sockets: [UDPSocket], handle: EndpointHandle<PeerConnectionCore>) {
            self.core = core
            self.sockets = sockets
            self.handle = handle
        }
    }

    /// The attachment an event closure reports for, without keeping it alive.
    private final class WeakAttachment {
        weak var value: Attachment?
    }

    private let loop = EventLoop()
    private let queue = Locked<Pending>(Pending())
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private var attachments: [ObjectIdentifier: Attachment] = [:]

    private struct Pending {
        var commands: [() -> Void] = []
        var dirty: Set<ObjectIdentifier> = []
        var woken = false
    }

    /// Starts a host thread named `name`.
    public init(name: String = "webrtc-host") {
        // A non-blocking pipe: Swift's Glibc module does not export eventfd(2), and
        // one wake-up byte per burst of commands costs the same.
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0, "pipe failed: \(errno)")
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        (wakeRead, wakeWrite) = (fds[0], fds[1])
        let thread = Thread { [self] in self.run() }
        thread.name = name
        thread.start()
    }

    /// The host's clock (monotonic): the `now` every core is fed.
    public var clock: () -> Instant { loop.clock }

    // MARK: - Commands

    /// Runs `body` on the host thread, soon. Never blocks.
    public func submit(_ body: @escaping @Sendable () -> Void) {
        let wake = queue.withLock { pending -> Bool in
            pending.commands.append(body)
            defer { pending.woken = true }
            return !pending.woken
        }
        if wake { signal() }
    }

    /// Runs `body` on the host thread and returns its result.
    public func perform<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            submit { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Marks a connection as having output that appeared off-thread (an SCTP
    /// timer): the host drains it at its next wake-up. Safe from any thread.
    func markDirty(_ key: ObjectIdentifier) {
        let wake = queue.withLock { pending -> Bool in
            pending.dirty.insert(key)
            defer { pending.woken = true }
            return !pending.woken
        }
        if wake { signal() }
    }

    private func signal() {
        var one: UInt8 = 1
        _ = write(wakeWrite, &one, 1)
    }

    // MARK: - On the host thread

    /// Binds one UDP socket per configured address (port 0), creates the core and
    /// attaches it. Host thread only.
    public func attach(configuration: PeerConnectionConfiguration,
                       onEvent: @escaping (PeerConnectionEvent, Attachment) -> Void) throws -> Attachment {
        var sockets: [UDPSocket] = []
        do {
            for ip in configuration.bindAddresses {
                // 4 MiB buffers ride out SCTP's bursts (scripts/setup.sh raises the cap).
                sockets.append(try UDPSocket(bindingTo: TransportAddress(ip, 0), receiveBufferSize: 4 << 20,
                                             sendBufferSize: 4 << 20))
            }
        } catch {
            for socket in sockets { socket.close() }
            throw PeerConnectionError(.localFailure, "cannot bind a UDP socket: \(error)")
        }
        let core: PeerConnectionCore
        do {
            core = try PeerConnectionCore(configuration: configuration, hostAddresses: sockets.map(\.localAddress))
        } catch {
            for socket in sockets { socket.close() }
            throw error
        }
        // The loop's driver keeps this closure, and the attachment keeps the driver (its
        // handle): a strong capture here would be a cycle that outlives `detach`, and
        // every closed connection (core, DTLS, usrsctp association) would stay in memory.
        let holder = WeakAttachment()
        let handle = loop.attach(core, sockets: sockets) { event, _ in
            if let attachment = holder.value { onEvent(event, attachment) }
        }
        let made = Attachment(core: core, sockets: sockets, handle: handle)
        holder.value = made
        let key = ObjectIdentifier(made)
        attachments[key] = made
        core.onOutputReady = { [weak self] in self?.markDirty(key) }
        return made
    }

    /// Calls into an attached core and sends what it produced. Host thread only.
    public func with<R>(_ attachment: Attachment, _ body: (PeerConnectionCore) throws -> R) rethrows -> R {
        try loop.withEndpoint(attachment.handle) { core in try body(core) }
    }

    /// Detaches a connection and closes its sockets. Host thread only.
    public func detach(_ attachment: Attachment) {
        loop.detach(attachment.handle)
        attachments[ObjectIdentifier(attachment)] = nil
        for socket in attachment.sockets { socket.close() }
    }

    /// How many connections are attached. Host thread only.
    public var attachedCount: Int { attachments.count }

    /// Sees every datagram sent or received (for `--pcap`). Host thread only.
    public func setTap(_ tap: ((TappedDatagram) -> Void)?) { loop.tap = tap }

    /// Drops the datagrams `filter` refuses before they leave (loss injection for tests
    /// and soak runs: `EventLoop.sendFilter`); nil sends everything. Host thread only.
    public func setSendFilter(_ filter: ((Datagram) -> Bool)?) { loop.sendFilter = filter }

    /// The current time on the host's clock.
    public func now() -> Instant { loop.clock() }

    private func run() {
        loop.watchReadable(fileDescriptor: wakeRead) { [self] in wake() }
        while true {
            do {
                _ = try loop.run()
            } catch {
                // poll(2) failing (EINTR aside) means a descriptor was closed under
                // us; keep serving the others after a short pause rather than die.
                usleep(1000)
            }
        }
    }

    private func wake() {
        var drain = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &drain, drain.count) > 0 {}
        let (commands, dirty) = queue.withLock { pending -> ([() -> Void], Set<ObjectIdentifier>) in
            defer {
                pending.commands = []
                pending.dirty = []
                pending.woken = false
            }
            return (pending.commands, pending.dirty)
        }
        for command in commands { command() }
        for key in dirty {
            if let attachment = attachments[key] { with(attachment) { _ in } }
        }
    }
}
