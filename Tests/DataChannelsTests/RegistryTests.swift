import DataChannels
import Testing
import Wire

/// One registry on its own: stream ids, creation before connecting, collisions,
/// outbound mapping. The two-peer behaviour is in RegistryPairTests.
@Suite("DataChannelRegistry: stream ids, early creation, outbound messages")
struct RegistryTests {
    /// A registry with its role set and the association up, drained.
    static func up(_ role: DataChannelDTLSRole, outbound: UInt16 = 16, inbound: UInt16 = 16) -> DataChannelRegistry {
        var registry = DataChannelRegistry()
        registry.setRole(role)
        registry.transportUp(outboundStreams: outbound, inboundStreams: inbound, at: .zero)
        #expect(drain(&registry).isEmpty)
        return registry
    }

    static func drain(_ registry: inout DataChannelRegistry) -> [DataChannelAction] {
        var actions: [DataChannelAction] = []
        while let action = registry.poll() { actions.append(action) }
        return actions
    }

    static func openMessage(_ label: String, stream: UInt16, ordered: Bool = true) -> DataChannelAction {
        .send(OutboundMessage(stream: stream, ppid: .dcep, bytes: DataChannelParameters(label: label, ordered: ordered).openMessage.bytes))
    }

    @Test("the DTLS client opens even stream ids, the server odd ones, lowest first (RFC 8832 §6)", arguments: [
        (DataChannelDTLSRole.client, [UInt16(0), 2, 4]), (.server, [1, 3, 5]),
    ])
    func parity(role: DataChannelDTLSRole, streams: [UInt16]) throws {
        var registry = Self.up(role)
        var ids: [DataChannelID] = []
        for label in ["a", "b", "c"] { ids.append(try registry.open(DataChannelParameters(label: label), at: .zero)) }
        #expect(ids.map { registry.stream(of: $0) } == streams)
        #expect(streams.allSatisfy { role.opens(stream: $0) && !role.peer.opens(stream: $0) })
        #expect(Self.drain(&registry) == [
            Self.openMessage("a", stream: streams[0]), .event(.stateChanged(ids[0], .open)),
            Self.openMessage("b", stream: streams[1]), .event(.stateChanged(ids[1], .open)),
            Self.openMessage("c", stream: streams[2]), .event(.stateChanged(ids[2], .open)),
        ])
    }

    @Test("our channel is connecting until poll() hands its OPEN out, then open: no message can overtake the OPEN")
    func openWhenHandedOut() throws {
        var registry = Self.up(.client)
        let id = try registry.open(DataChannelParameters(label: "x"), at: .zero)
        #expect(registry.state(of: id) == .connecting)
        #expect(throws: DataChannelError.self) { try registry.outbound(.text("too early"), on: id) }
        #expect(registry.poll() == Self.openMessage("x", stream: 0))
        #expect(registry.state(of: id) == .connecting)
        #expect(registry.poll() == .event(.stateChanged(id, .open)))
        #expect(registry.state(of: id) == .open)
        #expect(registry.poll() == nil)
    }

    @Test("channels created before the role and association wait; transportUp assigns ids in creation order and sends the OPENs")
    func earlyCreation() throws {
        var registry = DataChannelRegistry()
        let first = try registry.open(DataChannelParameters(label: "first"), at: .zero)
        let negotiated = try registry.open(DataChannelParameters(label: "agreed", negotiatedID: 0), at: .zero)
        let second = try registry.open(DataChannelParameters(label: "second", ordered: false), at: .zero)
        #expect([first, negotiated, second].map { registry.state(of: $0) } == [.connecting, .connecting, .connecting])
        #expect(registry.stream(of: first) == nil && registry.stream(of: negotiated) == 0)
        #expect(Self.drain(&registry).isEmpty)

        registry.transportUp(outboundStreams: 16, inboundStreams: 16, at: .milliseconds(5))
        // Without a role, only the negotiated channel can open.
        #expect(Self.drain(&registry) == [.event(.stateChanged(negotiated, .open))])
        registry.setRole(.client)
        // Stream 0 is the negotiated channel's, so the in-band ones take 2 and 4.
        #expect(Self.drain(&registry) == [
            Self.openMessage("first", stream: 2), .event(.stateChanged(first, .open)),
            Self.openMessage("second", stream: 4, ordered: false), .event(.stateChanged(second, .open)),
        ])
        #expect(registry.channel(onStream: 4) == second)
    }

    @Test("setRole before transportUp works the same, and the first role set is kept")
    func roleFirst() throws {
        var registry = DataChannelRegistry()
        registry.setRole(.server)
        let id = try registry.open(DataChannelParameters(label: "x"), at: .zero)
        registry.setRole(.client)
        #expect(registry.role == .server)
        #expect(Self.drain(&registry).isEmpty)
        registry.transportUp(outboundStreams: 4, inboundStreams: 4, at: .zero)
        #expect(Self.drain(&registry) == [Self.openMessage("x", stream: 1), .event(.stateChanged(id, .open))])
    }

    @Test("a negotiated id in use, or twice, is the caller's streamInUse")
    func negotiatedCollision() throws {
        var registry = Self.up(.client)
        let inBand = try registry.open(DataChannelParameters(label: "a"), at: .zero)
        #expect(registry.stream(of: inBand) == 0)
        _ = try registry.open(DataChannelParameters(label: "n", negotiatedID: 7), at: .zero)
        for id: UInt16 in [0, 7] {
            do {
                _ = try registry.open(DataChannelParameters(label: "again", negotiatedID: id), at: .zero)
                Issue.record("stream \(id) given twice")
            } catch {
                #expect(error.code == .streamInUse && error.origin == .caller)
            }
        }
        // Before the association too.
        var early = DataChannelRegistry()
        _ = try early.open(DataChannelParameters(negotiatedID: 3), at: .zero)
        #expect(throws: DataChannelError.self) { try early.open(DataChannelParameters(negotiatedID: 3), at: .zero) }
    }

    @Test("a negotiated id must fit both stream counts: refused when up, failed at transportUp when created before")
    func negotiatedOutOfRange() throws {
        var registry = Self.up(.client, outbound: 16, inbound: 10)
        for id: UInt16 in [10, 16, 65_535] {
            do {
                _ = try registry.open(DataChannelParameters(negotiatedID: id), at: .zero)
                Issue.record("stream \(id) accepted")
            } catch {
                #expect(error.code == .streamOutOfRange && error.origin == .caller)
            }
        }
        #expect(registry.channels.isEmpty)

        var early = DataChannelRegistry()
        early.setRole(.server)
        let id = try early.open(DataChannelParameters(negotiatedID: 20), at: .zero)
        early.transportUp(outboundStreams: 16, inboundStreams: 16, at: .zero)
        let actions = Self.drain(&early)
        #expect(actions.count == 2)
        guard case let .event(.protocolError(failed, error)) = actions.first else { Issue.record("no error: \(actions)"); return }
        #expect(failed == id && error.code == .streamOutOfRange && error.origin == .caller)
        #expect(actions.last == .event(.stateChanged(id, .closed)))
        #expect(early.state(of: id) == .closed)
    }

    @Test("when every id of our parity is taken, open throws noStreamAvailable; the smaller stream count is the limit")
    func exhaustion() throws {
        var registry = Self.up(.client, outbound: 16, inbound: 4)
        let first = try registry.open(DataChannelParameters(), at: .zero)
        let second = try registry.open(DataChannelParameters(), at: .zero)
        #expect(registry.stream(of: first) == 0 && registry.stream(of: second) == 2)
        do {
            _ = try registry.open(DataChannelParameters(), at: .zero)
            Issue.record("a third channel fit in 4 streams")
        } catch {
            #expect(error.code == .noStreamAvailable && error.origin == .caller)
        }
    }

    @Test("outbound maps text and binary to PPIDs 51 and 53, and empty messages to one zero byte with 56 and 57")
    func outboundMapping() throws {
        var registry = Self.up(.server)
        let id = try registry.open(DataChannelParameters(label: "m", reliability: .maxRetransmits(2), negotiatedID: 5), at: .zero)
        _ = Self.drain(&registry)
        #expect(try registry.outbound(.text("hé"), on: id) == OutboundMessage(stream: 5, ppid: .string, bytes: [0x68, 0xC3, 0xA9], ordered: true, reliability: .maxRetransmits(2)))
        #expect(try registry.outbound(.binary([1, 2]), on: id) == OutboundMessage(stream: 5, ppid: .binary, bytes: [1, 2], ordered: true, reliability: .maxRetransmits(2)))
        #expect(try registry.outbound(.text(""), on: id) == OutboundMessage(stream: 5, ppid: .stringEmpty, bytes: [0], ordered: true, reliability: .maxRetransmits(2)))
        #expect(try registry.outbound(.binary([]), on: id) == OutboundMessage(stream: 5, ppid: .binaryEmpty, bytes: [0], ordered: true, reliability: .maxRetransmits(2)))
    }

    @Test("before the ACK an unordered channel sends ordered; the ACK (or any data from the peer) frees it")
    func preAckOrdering() throws {
        var registry = Self.up(.client)
        let explicit = try registry.open(DataChannelParameters(label: "u", ordered: false), at: .zero)
        let implicit = try registry.open(DataChannelParameters(label: "v", ordered: false), at: .zero)
        _ = Self.drain(&registry)
        #expect(try registry.outbound(.text("early"), on: explicit).ordered)
        #expect(try registry.outbound(.text("early"), on: implicit).ordered)

        registry.receive(stream: 0, ppid: 50, bytes: [0x02], at: .milliseconds(1))
        #expect(Self.drain(&registry) == [.event(.acknowledged(explicit))])
        #expect(try !registry.outbound(.text("late"), on: explicit).ordered)

        // RFC 8832 §6: a data message on the channel stands for the ACK; the real ACK
        // arriving afterwards changes nothing.
        registry.receive(stream: 2, ppid: 51, bytes: Array("hi".utf8), at: .milliseconds(2))
        #expect(Self.drain(&registry) == [.event(.acknowledged(implicit)), .event(.message(implicit, .text("hi")))])
        #expect(try !registry.outbound(.binary([1]), on: implicit).ordered)
        registry.receive(stream: 2, ppid: 50, bytes: [0x02, 0, 0, 0], at: .milliseconds(3))
        #expect(Self.drain(&registry).isEmpty)
    }

    @Test("outbound on an unknown, connecting, closing or closed channel is the caller's error")
    func outboundStates() throws {
        var registry = Self.up(.client)
        do { _ = try registry.outbound(.text("x"), on: DataChannelID(rawValue: 42)); Issue.record("unknown accepted") } catch {
            #expect(error.code == .unknownChannel && error.origin == .caller)
        }
        let id = try registry.open(DataChannelParameters(), at: .zero)
        do { _ = try registry.outbound(.text("x"), on: id); Issue.record("connecting accepted") } catch {
            #expect(error.code == .notOpen && error.origin == .caller)
        }
        _ = Self.drain(&registry)
        registry.close(id, at: .zero)
        #expect(registry.state(of: id) == .closing)
        do { _ = try registry.outbound(.text("x"), on: id); Issue.record("closing accepted") } catch {
            #expect(error.code == .notOpen)
        }
        registry.streamsReset(incoming: false, streams: [0], succeeded: true, at: .zero)
        registry.streamsReset(incoming: true, streams: [0], succeeded: true, at: .zero)
        #expect(registry.state(of: id) == .closed)
        do { _ = try registry.outbound(.text("x"), on: id); Issue.record("closed accepted") } catch {
            #expect(error.code == .unknownChannel)
        }
        #expect(registry.state(of: DataChannelID(rawValue: 99)) == nil)
    }

    @Test("closing a channel whose OPEN has not left withdraws the OPEN: closing then closed, nothing sent")
    func closeBeforeSent() throws {
        var registry = Self.up(.client)
        let id = try registry.open(DataChannelParameters(label: "x"), at: .zero)
        registry.close(id, at: .zero)
        registry.close(id, at: .zero)
        #expect(Self.drain(&registry) == [.event(.stateChanged(id, .closing)), .event(.stateChanged(id, .closed))])
        #expect(registry.channel(onStream: 0) == nil)
        var early = DataChannelRegistry()
        let waiting = try early.open(DataChannelParameters(), at: .zero)
        early.close(waiting, at: .zero)
        early.setRole(.client)
        early.transportUp(outboundStreams: 4, inboundStreams: 4, at: .zero)
        #expect(Self.drain(&early) == [.event(.stateChanged(waiting, .closing)), .event(.stateChanged(waiting, .closed))])
    }

    @Test("a refused reset is asked again, then the stream id is retired (resetFailed) and never reused")
    func refusedReset() throws {
        var registry = Self.up(.client)
        let id = try registry.open(DataChannelParameters(), at: .zero)
        _ = Self.drain(&registry)
        registry.close(id, at: .zero)
        #expect(Self.drain(&registry) == [.resetStreams([0]), .event(.stateChanged(id, .closing))])
        for _ in 1..<DataChannelRegistry.maximumResetAttempts {
            registry.streamsReset(incoming: false, streams: [0], succeeded: false, at: .zero)
            #expect(Self.drain(&registry) == [.resetStreams([0])])
        }
        registry.streamsReset(incoming: false, streams: [0], succeeded: false, at: .zero)
        let actions = Self.drain(&registry)
        guard case let .event(.protocolError(failed, error)) = actions.first else { Issue.record("no error: \(actions)"); return }
        #expect(failed == id && error.code == .resetFailed && error.origin == .peer)
        #expect(actions.dropFirst() == [.event(.stateChanged(id, .closed))])
        let next = try registry.open(DataChannelParameters(), at: .zero)
        #expect(registry.stream(of: next) == 2)
        #expect(throws: DataChannelError.self) { try registry.open(DataChannelParameters(negotiatedID: 0), at: .zero) }
    }

    @Test("the peer's reset of every stream (an empty list) closes every channel")
    func resetAll() throws {
        var registry = Self.up(.client)
        let one = try registry.open(DataChannelParameters(), at: .zero)
        let two = try registry.open(DataChannelParameters(negotiatedID: 9), at: .zero)
        _ = Self.drain(&registry)
        registry.streamsReset(incoming: true, streams: [], succeeded: true, at: .zero)
        #expect(Self.drain(&registry) == [.resetStreams([0, 9]), .event(.stateChanged(one, .closing)), .event(.stateChanged(two, .closing))])
        registry.streamsReset(incoming: false, streams: [0, 9], succeeded: true, at: .zero)
        #expect(Self.drain(&registry) == [.event(.stateChanged(one, .closed)), .event(.stateChanged(two, .closed))])
        #expect(registry.channels.isEmpty)
    }

    @Test("transportClosed closes every channel at once and drops OPENs not handed out")
    func transportClosed() throws {
        var registry = Self.up(.client)
        let sent = try registry.open(DataChannelParameters(label: "sent"), at: .zero)
        _ = Self.drain(&registry)
        let queued = try registry.open(DataChannelParameters(label: "queued"), at: .zero)
        registry.transportClosed(at: .seconds(1))
        #expect(Self.drain(&registry) == [.event(.stateChanged(sent, .closed)), .event(.stateChanged(queued, .closed))])
        #expect(!registry.isTransportUp && registry.channels.isEmpty && registry.nextTimeout == nil)
        do { _ = try registry.outbound(.text("x"), on: sent); Issue.record("sent after close") } catch {
            #expect(error.code == .unknownChannel)
        }
    }

    @Test("a message before transportUp is reported as the caller's invalidState, not delivered")
    func receiveBeforeUp() {
        var registry = DataChannelRegistry()
        registry.receive(stream: 0, ppid: 50, bytes: DataChannelOpen(label: "x").bytes, at: .zero)
        let actions = Self.drain(&registry)
        guard actions.count == 1, case let .event(.protocolError(nil, error)) = actions[0] else { Issue.record("\(actions)"); return }
        #expect(error.code == .invalidState && error.origin == .caller)
    }
}
