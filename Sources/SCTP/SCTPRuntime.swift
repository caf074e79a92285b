import CUsrsctp
import Wire
import Dispatch

/// The process-wide usrsctp instance every association shares.
///
/// usrsctp is one global stack per process (ARCHITECTURE.md, "Facts learned"), so
/// this is the one place that initialises it (no-threads mode, AF_CONN only, no
/// UDP encapsulation) and the one place that serialises access to it.
///
/// Serial executor: a process-wide `Locked` lock (`usrsctpLock`) is held around every
/// usrsctp call. A lock, not a dedicated serial queue, because the association API
/// is synchronous and sans-IO: `handle(packet:)` and `send` must have produced their
/// output by the time they return, and a `queue.sync` from arbitrary threads
/// (including, via callbacks, the queue itself) invites deadlock. usrsctp calls are
/// short, so contention between associations stays small.
///
/// Lock order: `usrsctpLock` first, then an association's ledger lock or the
/// registry lock, never the reverse. usrsctp's callbacks (packet output, receive)
/// run inside usrsctp calls, so they take only the leaf locks and never call back
/// into usrsctp. Sockets to close are parked in a graveyard and closed at the end of
/// the current serial section, outside any callback.
///
/// Timers: usrsctp in no-threads mode has no "next timer" query and checks chunk
/// ages against the wall clock, so a ~10 ms tick on a private serial queue feeds
/// `usrsctp_handle_timers` the REAL elapsed milliseconds (a monotonic clock, with
/// the sub-millisecond remainder carried), then lets each association move queued
/// messages into usrsctp and tells it (`onOutputReady`) that output appeared.
public final class SCTPRuntime: Sendable {
    /// The one runtime; created (and usrsctp initialised) on first use.
    public static let shared = SCTPRuntime()

    /// Held around every usrsctp call: the serial executor.
    private let usrsctpLock = Locked<Void>(())
    /// AF_CONN id -> association. Weak: usrsctp may call back for an association
    /// whose owner already let it go (a late retransmission, the ABORT sent by close).
    private let registry = Locked<Registry>(Registry())
    /// Sockets and addresses to release at the end of the current serial section.
    private let graveyard = Locked<[Burial]>([])
    /// The tick's last instant (sub-millisecond remainders stay in it).
    private let lastTick = Locked<ContinuousClock.Instant>(ContinuousClock.now)
    /// The tick source. `nonisolated(unsafe)` because Dispatch sources are not
    /// `Sendable`; safe since it is only touched in `init` (DispatchSource calls are
    /// thread-safe anyway) and lives as long as the process.
    nonisolated(unsafe) private let ticker: any DispatchSourceTimer

    /// Where `SCTPAssociation.readReceivedLocked` reads into: one for the process, as
    /// only the serial section (which `usrsctpLock` makes one at a time) touches it.
    /// 64 KiB + 4: a 64 KiB message and its end of record fit one read; larger ones
    /// come in pieces, which the ledger reassembles. Lives as long as the process.
    nonisolated(unsafe) let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_540, alignment: 8)

    /// The tick period.
    public static let tickInterval: Duration = .milliseconds(10)

    private struct Registry {
        var nextID: UInt32 = 1
        var entries: [UInt32: WeakAssociation] = [:]
    }

    private struct WeakAssociation {
        weak var value: SCTPAssociation?
    }

    enum Burial {
        /// Close a usrsctp socket; `abortive` sets SO_LINGER 0 first so the peer gets ABORT.
        case close(SCTPSocket, abortive: Bool)
        /// Forget an AF_CONN address.
        case deregister(UInt32)
    }

    private init() {
        // Port 0: no UDP encapsulation; packets only leave through conn_output.
        // No debug printer: it would be a variadic C function, and usrsctp only calls it
        // when built with debugging and asked to print.
        usrsctp_init_nothreads(0, { address, buffer, length, _, _ in
            SCTPRuntime.output(address: address, buffer: buffer, length: length)
        }, nil)
        // ECN (RFC 9260 Appendix A) means nothing inside DTLS, and WebRTC peers don't use it.
        _ = usrsctp_sysctl_set_sctp_ecn_enable(0)
        // PR-SCTP (RFC 3758) and stream reconfiguration (RFC 6525) are what RFC 8831 §6 requires.
        _ = usrsctp_sysctl_set_sctp_pr_enable(1)
        _ = usrsctp_sysctl_set_sctp_reconfig_enable(1)
        ticker = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "webrtc-lab.sctp.tick"))
        let period = Int(SCTPRuntime.tickInterval.milliseconds)
        ticker.schedule(deadline: .now() + .milliseconds(period), repeating: .milliseconds(period),
                        leeway: .milliseconds(2))
        ticker.setEventHandler { [weak self] in self?.tick() }
        ticker.resume()
    }

    // MARK: The serial executor

    /// Runs `body` in the serial section (every usrsctp call happens in one), then
    /// releases the sockets and addresses parked during it.
    func perform<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        try usrsctpLock.withLock { (_: inout Void) throws(E) -> T in
            defer { buryDeadLocked() }
            return try body()
        }
    }

    /// Parks a socket or address for release at the end of the serial section.
    /// Safe from callbacks and from `deinit`: it takes only a leaf lock.
    func bury(_ burial: Burial) {
        graveyard.withLock { $0.append(burial) }
    }

    private func buryDeadLocked() {
        while true {
            let burials = graveyard.withLock { list -> [Burial] in
                defer { list.removeAll() }
                return list
            }
            if burials.isEmpty { return }
            for burial in burials {
                switch burial {
                case let .close(socket, abortive):
                    if abortive { socket.setLingerAbort() }
                    usrsctp_close(socket.pointer)
                case let .deregister(id):
                    usrsctp_deregister_address(SCTPRuntime.address(of: id))
                }
            }
        }
    }

    // MARK: The registry

    /// Reserves a fresh AF_CONN id (never 0: usrsctp treats the address as a pointer).
    func allocateID() -> UInt32 {
        registry.withLock { registry in
            func advance() { registry.nextID = registry.nextID == UInt32.max ? 1 : registry.nextID + 1 }
            while registry.entries[registry.nextID] != nil { advance() }
            defer { advance() }
            return registry.nextID
        }
    }

    /// Makes `association` reachable from usrsctp's callbacks.
    func register(_ association: SCTPAssociation) {
        registry.withLock { $0.entries[association.id] = WeakAssociation(value: association) }
    }

    /// Forgets an id (from `deinit`).
    func unregister(_ id: UInt32) {
        registry.withLock { _ = $0.entries.removeValue(forKey: id) }
    }

    /// The live association with this id, if any.
    func association(_ id: UInt32) -> SCTPAssociation? {
        registry.withLock { $0.entries[id]?.value }
    }

    /// How many associations are alive in this process.
    public var associationCount: Int {
        // The strong references leave the lock before they are released: if another
        // thread dropped its last one meanwhile, ours is the last and `deinit` runs,
        // and `deinit` takes the registry lock (the lock is not reentrant).
        let live = registry.withLock { $0.entries.values.compactMap(\.value) }
        return live.count
    }

    /// The AF_CONN address usrsctp knows an association by: its id as a pointer value.
    static func address(of id: UInt32) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: UInt(id))!
    }

    // MARK: The tick

    private func tick() {
        let now = ContinuousClock.now
        let elapsed = lastTick.withLock { last -> UInt32 in
            let ms = (now - last).milliseconds
            last = last + .milliseconds(Int64(ms))   // carry the sub-millisecond remainder
            return ms
        }
        let live = registry.withLock { $0.entries.values.compactMap(\.value) }
        perform { () -> Void in
            if elapsed > 0 { usrsctp_handle_timers(elapsed) }
            for association in live {
                association.watchZeroWindowLocked(now: now)
                association.flushLocked()
                association.repeatForwardTSN(now: now)
            }
        }
        // Outside every lock: the closures may call straight back into the association.
        for association in live { association.wakeIfOutputArrived() }
    }

    // MARK: Callbacks from usrsctp (inside a serial section; leaf locks only)

    /// conn_output: usrsctp hands over one SCTP packet for the association whose AF_CONN
    /// address is `address`. Only queued here; the owner polls it out.
    private static func output(address: UnsafeMutableRawPointer?, buffer: UnsafeMutableRawPointer?,
                               length: Int) -> Int32 {
        guard let address, let buffer, length > 0 else { return 0 }
        let id = UInt32(truncatingIfNeeded: UInt(bitPattern: address))
        let packet = Array(UnsafeRawBufferPointer(start: buffer, count: length))
        shared.association(id)?.queueTransmit(packet)
        return 0
    }
}
