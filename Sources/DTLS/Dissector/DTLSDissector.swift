import Wire

/// Turns any datagram into a Wireshark-like tree of `DissectedField`s: every record's
/// header, then, where the record is plaintext, every handshake message field by
/// field (hellos with cipher suites and extensions by name, certificates, key
/// exchange, alerts). It never decrypts: epoch > 0 records are shown as "Encrypted
/// Handshake Message", "Encrypted Alert" or "Encrypted Application Data" with their
/// lengths.
///
/// Field names follow Wireshark's DTLS dissector ("Content Type", "Epoch",
/// "Handshake Type", "Fragment Offset", "Cipher Suite"...), so its output and ours
/// can be compared line by line. Broken input becomes error nodes (`isError`) next to
/// everything that could still be read: a bad message body does not hide the next
/// message, a bad record length ends the datagram (nothing after it can be located).
/// Fragments are not reassembled here (tshark does): their bytes are shown, the body is
/// not; a tool that wants the body feeds `DTLSHandshakeReassembler`.
public enum DTLSDissector {
    /// The root node's name.
    public static let protocolName = "Datagram Transport Layer Security"

    /// Dissects one datagram.
    public static func dissect(_ datagram: [UInt8]) -> DissectedField {
        var children: [DissectedField] = []
        var offset = 0
        if datagram.isEmpty {
            children.append(DissectedField(name: "Malformed", offset: 0, length: 0,
                                           value: "empty datagram: a record header needs 13 bytes", isError: true))
        }
        while offset < datagram.count {
            var cursor = DissectionCursor(datagram, range: offset..<datagram.count, recording: true)
            cursor.open("DTLS Record Layer")
            let record: DTLSRecord
            do throws(DTLSError) {
                record = try DTLSRecord(cursor: &cursor)
            } catch {
                cursor.fail(error, closingTo: 0)
                children += cursor.fields
                break
            }
            let fragmentRange = (cursor.offset - record.fragment.count)..<cursor.offset
            var overflow = false
            if record.fragment.count > DTLSRecord.maximumFragmentLength {
                overflow = true
                cursor.add(DissectedField(name: "Record Overflow", offset: fragmentRange.lowerBound, length: 0,
                                          value: "\(record.fragment.count) bytes exceeds 2^14+2048 (RFC 6347 §4.1)", isError: true))
            }
            let content = contentFields(datagram, record: record, range: fragmentRange)
            for field in content.fields { cursor.add(field) }
            cursor.close(value: content.title, isError: overflow)
            children += cursor.fields
            offset = fragmentRange.upperBound
        }
        let summary = DTLSFlightSummary(datagram: datagram).line
        return DissectedField(name: protocolName, offset: 0, length: datagram.count,
                              value: "\(summary.isEmpty ? "no records" : summary), \(datagram.count) bytes",
                              children: children)
    }

    // MARK: - Record contents

    private static func contentFields(_ datagram: [UInt8], record: DTLSRecord,
                                      range: Range<Int>) -> (title: String, fields: [DissectedField]) {
        var cursor = DissectionCursor(datagram, range: range, recording: true)
        let size = range.count
        switch record.contentType {
        case .handshake where record.isEncrypted:
            cursor.add(DissectedField(name: "Encrypted Handshake Message", offset: range.lowerBound, length: size,
                                      value: "\(size) bytes under epoch \(record.epoch) keys (Finished, in a normal handshake)"))
            return ("Handshake Protocol: Encrypted Handshake Message", cursor.fields)
        case .handshake:
            var titles: [String] = []
            while !cursor.isAtEnd { titles.append(handshakeMessage(&cursor)) }
            if titles.isEmpty {
                cursor.add(DissectedField(name: "Malformed", offset: range.lowerBound, length: 0,
                                          value: "empty handshake record", isError: true))
            }
            return ("Handshake Protocol: " + titles.joined(separator: ", "), cursor.fields)
        case .changeCipherSpec:
            let depth = cursor.depth
            do throws(DTLSError) {
                let value = try cursor.uint8("Change Cipher Spec Message") { $0 == 1 ? "change_cipher_spec (1)" : "\($0) (must be 1)" }
                if !cursor.isAtEnd || value != 1 {
                    throw DTLSError(.malformedRecord, "ChangeCipherSpec is exactly one byte of value 1 (RFC 5246 §7.1)")
                }
            } catch {
                cursor.fail(error, closingTo: depth)
            }
            return ("Change Cipher Spec Protocol: Change Cipher Spec", cursor.fields)
        case .alert where record.isEncrypted:
            cursor.add(DissectedField(name: "Encrypted Alert", offset: range.lowerBound, length: size,
                                      value: "\(size) bytes under epoch \(record.epoch) keys (close_notify, usually)"))
            return ("Encrypted Alert", cursor.fields)
        case .alert:
            var title = "Alert"
            cursor.open("Alert Message")
            do throws(DTLSError) {
                // Codes are the endpoint's `DTLSAlert` ones (RFC 5246 §7.2): one registry for the module.
                let level = DTLSAlert.Level(rawValue: try cursor.uint8("Level") { "\(DTLSAlert.Level(rawValue: $0)) (\($0))" })
                let description = DTLSAlert.Description(rawValue: try cursor.uint8("Description") {
                    "\(DTLSAlert.Description(rawValue: $0).name) (\($0))"
                })
                title = "Alert (Level: \(level), Description: \(description.name))"
                if !cursor.isAtEnd { throw DTLSError(.malformedRecord, "\(cursor.remaining) byte(s) after the 2-byte alert") }
                cursor.close(value: "\(level), \(description.name)")
            } catch {
                cursor.fail(error, closingTo: 0)
            }
            return (title, cursor.fields)
        case .applicationData:
            cursor.add(DissectedField(name: "Encrypted Application Data", offset: range.lowerBound, length: size,
                                      value: "\(size) bytes (explicit nonce, ciphertext and tag: not decrypted)"))
            return ("Application Data Protocol: Application Data", cursor.fields)
        default:
            let name = record.contentType == .heartbeat ? "Heartbeat Message" : "Opaque Content"
            cursor.add(DissectedField(name: name, offset: range.lowerBound, length: size,
                                      value: "\(size) bytes" + (record.isEncrypted ? " (encrypted)" : "")))
            return ("\(record.contentType.name ?? "Unknown Content Type \(record.contentType.rawValue)") Protocol", cursor.fields)
        }
    }

    /// Dissects one handshake message at the cursor and returns its title.
    /// A broken body becomes an error node inside the message; the cursor then moves
    /// past the message so the next one is still shown. A broken header ends the record.
    private static func handshakeMessage(_ cursor: inout DissectionCursor) -> String {
        let depth = cursor.depth
        cursor.open("Handshake Protocol")
        let header: DTLSHandshakeHeader
        do throws(DTLSError) {
            header = try DTLSHandshakeHeader(cursor: &cursor)
            try DTLSHandshakeMessage.checkBounds(header, available: cursor.remaining)
        } catch {
            cursor.fail(error, closingTo: depth)
            cursor.seek(to: cursor.end)
            return "Malformed"
        }
        let start = cursor.offset, count = Int(header.fragmentLength)
        let title = header.messageType.title
        if header.isFragment {
            let end = Int(header.fragmentOffset) + count
            _ = try? cursor.bytes("Fragment", count: count) { _ in
                "bytes \(header.fragmentOffset)..<\(end) of \(header.length) (body shown once reassembled; not reassembled here)"
            }
            cursor.close(value: "\(title) (Fragment)")
            return "\(title) (Fragment)"
        }
        var body = DissectionCursor(cursor.bytes, range: start..<start + count, recording: true)
        var failed = false
        do throws(DTLSError) {
            _ = try DTLSHandshakeBody(type: header.messageType, cursor: &body)
        } catch {
            body.fail(error, closingTo: 0)
            failed = true
        }
        for field in body.fields { cursor.add(field) }
        cursor.seek(to: start + count)
        cursor.close(value: title + (failed ? " (malformed)" : ""), isError: failed)
        return title
    }
}
