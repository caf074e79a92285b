// dtls-fuzz: one datagram in, every byte reader of the DTLS module exercised,
// nothing may trap (docs/FUZZING.md).
//
// The dissector half (this file) is pure Swift and checks the invariants that
// hold for every input: what parses re-encodes to its own bytes, the dissection
// tree never points outside the datagram, a reassembled message is whole. The
// endpoint half (FuzzTarget+Endpoint.swift) hands the datagram to OpenSSL through
// a server and a client `DTLSEndpoint`.
import DTLS
import Wire

enum FuzzTarget {
    /// Feeds `bytes` to the record scanner, every handshake parser and body decoder,
    /// a reassembler, the dissector and flight summary, then to the endpoints.
    static func run(_ bytes: [UInt8]) {
        checkRecords(bytes)
        checkDissection(bytes)
        driveEndpoints(bytes)
    }

    /// Records, handshake messages and bodies: parse, re-encode, reassemble.
    static func checkRecords(_ bytes: [UInt8]) {
        let scan = DTLSRecord.scan(datagram: bytes)
        // The records that parsed are the datagram's prefix, byte for byte.
        var writer = ByteWriter()
        for record in scan.records { record.encode(into: &writer) }
        guard writer.bytes.elementsEqual(bytes.prefix(writer.count)),
              scan.trailingError != nil || writer.count == bytes.count else {
            fatalError("records re-encoded differently: \(Hex.encode(bytes))")
        }
        switch Result(catching: { () throws(DTLSError) in try DTLSRecord.parseAll(datagram: bytes) }) {
        case let .success(records) where scan.trailingError == nil && records == scan.records: break
        case .failure where scan.trailingError != nil: break
        default: fatalError("parseAll and scan disagree: \(Hex.encode(bytes))")
        }
        var reader = ByteReader(bytes)
        _ = try? DTLSRecord(parsing: &reader)

        var reassembler = DTLSHandshakeReassembler()
        for record in scan.records {
            _ = DTLSFlightSummary.entries(for: record)
            guard record.contentType == .handshake, !record.isEncrypted,
                  let messages = try? DTLSHandshakeMessage.parseAll(recordFragment: record.fragment) else { continue }
            var fragmentWriter = ByteWriter()
            for message in messages { message.encode(into: &fragmentWriter) }
            guard fragmentWriter.bytes == record.fragment else {
                fatalError("handshake messages re-encoded differently: \(Hex.encode(bytes))")
            }
            for message in messages {
                checkBody(of: message, in: bytes)
                guard let whole = try? reassembler.add(message) else { continue }
                guard !whole.header.isFragment, whole.fragment.count == Int(whole.header.length) else {
                    fatalError("the reassembler returned a partial message: \(Hex.encode(bytes))")
                }
                checkBody(of: whole, in: bytes)
            }
        }
        _ = reassembler.pendingCount
    }

    /// A whole body that decodes re-encodes to the same bytes, with one known
    /// exception: a hello whose extensions block is present but empty (`00 00`)
    /// decodes to no extensions and re-encodes without the block (RFC 5246
    /// §7.4.1.2 allows both forms; the typed value cannot tell them apart).
    static func checkBody(of message: DTLSHandshakeMessage, in bytes: [UInt8]) {
        guard let body = try? message.decodeBody(), let encoded = encode(body) else { return }
        if encoded == message.fragment { return }
        let emptyExtensionsDropped: Bool
        switch body {
        case let .clientHello(hello): emptyExtensionsDropped = hello.extensions.isEmpty
        case let .serverHello(hello): emptyExtensionsDropped = hello.extensions.isEmpty
        default: emptyExtensionsDropped = false
        }
        guard emptyExtensionsDropped, encoded + [0, 0] == message.fragment else {
            fatalError("\(message.header.messageType) body re-encoded differently: \(Hex.encode(bytes))")
        }
    }

    /// The body's wire form; nil for a fragment (no body to encode).
    static func encode(_ body: DTLSHandshakeBody) -> [UInt8]? {
        var writer = ByteWriter()
        switch body {
        case .helloRequest, .serverHelloDone: break
        case let .clientHello(value): value.encode(into: &writer)
        case let .serverHello(value): value.encode(into: &writer)
        case let .helloVerifyRequest(value): value.encode(into: &writer)
        case let .newSessionTicket(value): value.encode(into: &writer)
        case let .certificate(value): value.encode(into: &writer)
        case let .serverKeyExchange(value): value.encode(into: &writer)
        case let .certificateRequest(value): value.encode(into: &writer)
        case let .certificateVerify(value): value.encode(into: &writer)
        case let .clientKeyExchange(value): value.encode(into: &writer)
        case let .finished(verifyData): writer.writeBytes(verifyData)
        case let .unknown(raw): writer.writeBytes(raw)
        case .fragment: return nil
        }
        return writer.bytes
    }

    /// The tree and its rendering, and the flight summary. Every node must lie
    /// inside the datagram: a renderer or a tool slicing by offset must never trap.
    static func checkDissection(_ bytes: [UInt8]) {
        let tree = DTLSDissector.dissect(bytes)
        var stack = [tree]
        while let field = stack.popLast() {
            guard field.offset >= 0, field.length >= 0, field.offset + field.length <= bytes.count else {
                fatalError("dissection field \(field.name) at \(field.offset)+\(field.length) lies outside the datagram: \(Hex.encode(bytes))")
            }
            stack += field.children
        }
        _ = tree.render(bytes: bytes)
        let summary = DTLSFlightSummary(datagram: bytes)
        _ = summary.line
        for entry in summary.entries { _ = entry.fullText }
    }
}
