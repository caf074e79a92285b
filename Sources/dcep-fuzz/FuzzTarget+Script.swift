// The input as a script of registry inputs: each step is an opcode byte and an
// argument byte (and, for messages, a length byte and that many bytes), so libFuzzer
// explores sequences of opens, messages, resets, closes and transport changes that a
// single message cannot reach. The registry's invariants are checked after each step.
import DataChannels
import Wire

struct RegistryScript {
    private var reader: ByteReader
    private var registry = DataChannelRegistry()
    private var checker = ActionChecker(outboundStreams: 8)
    private var time = Instant.zero
    /// Every handle given out, so closes and sends can name old (closed) ones too.
    private var handles: [DataChannelID] = []
    /// Data PPIDs, deprecated and unknown ones included.
    private static let dataPPIDs: [UInt32] = [51, 52, 53, 54, 56, 57, 0]

    init(_ bytes: [UInt8]) {
        reader = ByteReader(bytes)
    }

    mutating func run() {
        // The role comes from the first byte's low bit, so both parities are explored.
        registry.setRole((try? reader.peekUInt8()).map { $0 & 1 == 0 ? .client : .server } ?? .client)
        registry.transportUp(outboundStreams: 8, inboundStreams: 8, at: time)
        checker.drain(&registry)
        var steps = 0
        while steps < 64, let opcode = try? reader.readUInt8(), let argument = try? reader.readUInt8() {
            steps += 1
            time += .milliseconds(1)
            step(opcode % 8, argument)
            let actions = checker.drain(&registry)
            for case let .event(.incoming(id, _, _)) in actions { handles.append(id) }
        }
        if registry.isTransportUp { FuzzTarget.closeEverything(&registry, &checker, at: time) }
    }

    private mutating func step(_ opcode: UInt8, _ argument: UInt8) {
        let stream = UInt16(argument % 8)
        switch opcode {
        case 0:
            registry.receive(stream: stream, ppid: 50, bytes: payload(), at: time)
        case 1:
            let ppid = Self.dataPPIDs[Int(argument >> 3) % Self.dataPPIDs.count]
            registry.receive(stream: stream, ppid: ppid, bytes: payload(), at: time)
        case 2:
            registry.streamsReset(incoming: true, streams: argument == 0xFF ? [] : [stream], succeeded: argument & 0x40 == 0, at: time)
        case 3:
            registry.streamsReset(incoming: false, streams: argument == 0xFF ? [] : [stream], succeeded: argument & 0x80 == 0, at: time)
        case 4:
            if let id = handle(argument) { registry.close(id, at: time) }
        case 5:
            open(argument)
        case 6:
            send(argument)
        default:
            if argument & 3 == 0 {
                registry.transportClosed(at: time)
            } else {
                registry.transportUp(outboundStreams: 8, inboundStreams: 8, at: time)
            }
        }
    }

    /// The next length byte and that many bytes (fewer if the input ends).
    private mutating func payload() -> [UInt8] {
        let length = Int((try? reader.readUInt8()) ?? 0) % 48
        return (try? reader.readBytes(min(length, reader.remaining))) ?? []
    }

    private func handle(_ argument: UInt8) -> DataChannelID? {
        handles.isEmpty ? nil : handles[Int(argument) % handles.count]
    }

    /// Opens an in-band channel, or (odd argument) a negotiated one on id argument/2 % 10
    /// (ids 8 and 9 are beyond the association and must be refused).
    private mutating func open(_ argument: UInt8) {
        let negotiated: UInt16? = argument & 1 == 1 ? UInt16((argument >> 1) % 10) : nil
        let parameters = DataChannelParameters(label: "s\(argument)", ordered: argument & 2 == 0,
                                               reliability: argument & 4 == 0 ? .reliable : .maxRetransmits(UInt32(argument >> 4)),
                                               negotiatedID: negotiated)
        do {
            let id = try registry.open(parameters, at: time)
            handles.append(id)
            if let negotiated, registry.isTransportUp, registry.stream(of: id) != negotiated {
                fatalError("negotiated \(id) did not get stream \(negotiated)")
            }
        } catch {
            guard error.origin == .caller else { fatalError("open blamed the peer: \(error)") }
            if let negotiated, negotiated < 8, registry.channel(onStream: negotiated) == nil, error.code == .streamInUse,
               registry.isTransportUp == false {
                fatalError("negotiated stream \(negotiated) refused as in use with no channel on it")
            }
        }
    }

    /// Builds an outbound message on a channel; it must match the channel's state.
    private mutating func send(_ argument: UInt8) {
        guard let id = handle(argument) else { return }
        let (message, ppid): (DataChannelMessage, PayloadProtocolIdentifier) = switch argument >> 6 {
        case 0: (.text(""), .stringEmpty)
        case 1: (.binary([]), .binaryEmpty)
        case 2: (.text("fuzz\(argument)"), .string)
        default: (.binary([argument, argument]), .binary)
        }
        do {
            let outbound = try registry.outbound(message, on: id)
            guard registry.state(of: id) == .open, outbound.stream == registry.stream(of: id),
                  outbound.ppid == ppid, outbound.bytes == (message.isEmpty ? [0] : outbound.bytes),
                  outbound.bytes.count == max(message.byteCount, 1) else {
                fatalError("outbound \(outbound) does not match \(message) on \(id)")
            }
        } catch {
            guard error.origin == .caller, registry.state(of: id) != .open else {
                fatalError("outbound refused on an open channel, or blamed the peer: \(error)")
            }
        }
    }
}
