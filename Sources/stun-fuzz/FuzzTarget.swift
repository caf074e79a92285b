// stun-fuzz: one STUN datagram in (also read as a TURN-over-TCP stream), every parser
// and endpoint of the STUN module exercised, nothing may trap.
//
// Built two ways from the same sources (see docs/FUZZING.md):
// - with `-sanitize=fuzzer -DFUZZING`: a libFuzzer target (FuzzSupport hands the
//   process to libFuzzer's driver, which calls `run` with each input);
// - plainly (`swift build`): a replayer (FuzzSupport's corpus replay) that runs the
//   same function over corpus files, so CI replays fuzz/stun-corpus without libFuzzer.
import STUN
import Wire

enum FuzzTarget {
    /// Feeds `bytes` to the message parser, the attribute decoders, integrity and
    /// fingerprint checks, the dissector, a server (open and long-term) and a client.
    static func run(_ bytes: [UInt8]) {
        let key = STUNKey.shortTerm(password: "VOkJxbRl1RmTxUk/WvJxBt")
        if let message = try? STUNMessage(parsing: bytes) {
            // Every typed decoder on every attribute: errors are fine, traps are not.
            for attribute in message.attributes + message.ignoredAttributes {
                let id = message.transactionID
                _ = try? attribute.decode(as: MappedAddress.self, transactionID: id)
                _ = try? attribute.decode(as: XORMappedAddress.self, transactionID: id)
                _ = try? attribute.decode(as: Username.self, transactionID: id)
                _ = try? attribute.decode(as: ErrorCodeAttribute.self, transactionID: id)
                _ = try? attribute.decode(as: UnknownAttributes.self, transactionID: id)
                _ = try? attribute.decode(as: ICEControlling.self, transactionID: id)
            }
            _ = message.mappedAddress
            _ = message.errorCode
            _ = try? message.attribute(AlternateServer.self)
            _ = try? message.attribute(MessageIntegritySHA256.self)
            _ = try? message.attribute(Fingerprint.self)
            _ = try? message.attribute(Realm.self)
            _ = try? message.attribute(Nonce.self)
            _ = try? message.attribute(Software.self)
            // A parsed message must re-encode to the bytes it came from.
            if let encoded = try? message.encode(), message.ignoredAttributes.isEmpty, encoded != bytes {
                fatalError("re-encoding changed a parsed message: \(Hex.encode(bytes))")
            }
        }
        var reader = ByteReader(bytes)
        _ = try? STUNMessage(parsing: &reader)
        _ = STUNMessage.verifyIntegrity(of: bytes, key: key)
        _ = STUNMessage.verifyFingerprint(of: bytes)
        _ = STUNDissector.dissect(bytes, integrityKey: key).render(bytes: bytes)

        let client = TransportAddress(.v4(127, 0, 0, 1), 40000)
        let server = TransportAddress(.v4(127, 0, 0, 1), 3478)
        let datagram = Datagram(from: client, to: server, payload: bytes)
        var random = SplitMix64(seed: 1)
        var open = STUNServer(configuration: .init(), random: &random)
        drain(&open, .datagram(datagram, at: .milliseconds(1)))
        var guarded = STUNServer(configuration: .init(authentication: .longTerm(realm: "example.org", users: ["user": "pass"])),
                                 random: &random)
        drain(&guarded, .datagram(datagram, at: .milliseconds(1)))
        var stunClient = STUNClient(localAddress: client, random: SplitMix64(seed: 2))
        stunClient.sendBindingRequest(to: server, at: .zero)
        drain(&stunClient, .datagram(Datagram(from: server, to: client, payload: bytes), at: .milliseconds(1)))

        // The same bytes as what a TURN server sent down a TCP or TLS connection (RFC 8656
        // §3.1), read whole and read in two pieces: the framer must split them the same way
        // or refuse them with a typed error.
        for cut in Set([bytes.count, bytes.count / 2]) {
            var framer = TURNStreamFramer(maximumSTUNSize: 2048)
            _ = try? framer.append(Array(bytes[..<cut]))
            _ = try? framer.drain()
            _ = try? framer.append(Array(bytes[cut...]))
            _ = try? framer.drain()
            _ = try? framer.finish()
        }
    }

    private static func drain<E: DatagramEndpoint>(_ endpoint: inout E, _ input: EndpointInput) {
        endpoint.handle(input)
        while endpoint.poll() != nil {}
    }
}
