import COpenSSL

/// OpenSSL reports failures through a per-thread error queue rather than return
/// values. These helpers turn that queue into the text of a `DTLSError` reason and
/// empty it, so a stale entry from one failed call never explains a later one.
enum OpenSSLErrors {
    /// Pops every queued error and joins their descriptions with "; ".
    /// Returns an empty string when the queue is empty.
    static func drain() -> String {
        var messages: [String] = []
        // Bounded: a broken library that never empties its queue must not hang us.
        for _ in 0..<32 {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            buffer.withUnsafeMutableBufferPointer { ERR_error_string_n(code, $0.baseAddress, $0.count) }
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        ERR_clear_error()
        return messages.joined(separator: "; ")
    }

    /// Empties the queue before a call whose failure we will report, so the
    /// report names only that call's errors.
    static func clear() { ERR_clear_error() }
}

extension DTLSError {
    /// An error whose reason is `reason` followed by OpenSSL's queued errors, if any
    /// (the queue is emptied).
    static func openSSL(_ code: Code, _ reason: String) -> DTLSError {
        let detail = OpenSSLErrors.drain()
        return DTLSError(code, detail.isEmpty ? reason : "\(reason) (OpenSSL: \(detail))")
    }
}
