import Foundation
import MeshProtocol

/// The HS256 key that signs and checks the registry's tokens. It prints as
/// `<secret: N bytes>` whatever is asked of it (`description`, `dump`, string
/// interpolation in a log line), so it cannot leak through logging by accident.
public struct RegistrySecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The key bytes.
    let bytes: [UInt8]
    /// True when the registry made it up for this run (no secret was given).
    public let wasGenerated: Bool

    /// A secret from bytes; refused when shorter than `MeshDefaults.minimumSecretBytes`
    /// (RFC 7518 §3.2 asks for a key at least as long as the hash). The check is
    /// ours, made before jwt-kit sees the key: jwt-kit asserts on a short HMAC key,
    /// which would be a trap in a debug build rather than an error.
    public init(bytes: some Collection<UInt8>) throws(RegistryError) {
        guard bytes.count >= MeshDefaults.minimumSecretBytes else {
            throw RegistryError(.secretTooShort, "the signing secret is \(bytes.count) bytes; HS256 needs at least "
                + "\(MeshDefaults.minimumSecretBytes) (e.g. SIGNALING_SECRET=$(openssl rand -hex 32))")
        }
        self.bytes = Array(bytes)
        wasGenerated = false
    }

    /// A secret from text (`SIGNALING_SECRET`), as UTF-8 bytes, as chatixia reads it.
    public init(text: String) throws(RegistryError) {
        try self.init(bytes: Array(text.utf8))
    }

    /// Reads a secret file: its contents less one trailing newline (as `echo` or an
    /// editor leaves it), so that the file and the environment variable agree.
    public init(file path: String) throws(RegistryError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw RegistryError(.secretFile, "cannot read the secret file \(path): \(Self.reason(error))")
        }
        var bytes = Array(data)
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        do {
            try self.init(bytes: bytes)
        } catch {
            throw RegistryError(.secretTooShort, "the secret file \(path) holds \(bytes.count) bytes; HS256 needs at least "
                + "\(MeshDefaults.minimumSecretBytes) (e.g. openssl rand -hex 32 > \(path))")
        }
    }

    /// A random secret for one run: 32 bytes from the system's CSPRNG.
    public static func generated() -> RegistrySecret {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<MeshDefaults.minimumSecretBytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return RegistrySecret(generatedBytes: bytes)
    }

    private init(generatedBytes: [UInt8]) {
        bytes = generatedBytes
        wasGenerated = true
    }

    /// `<secret: N bytes>`, never the bytes.
    public var description: String { "<secret: \(bytes.count) bytes\(wasGenerated ? ", generated" : "")>" }
    /// As `description`.
    public var debugDescription: String { description }
    /// No children, so `dump` shows nothing of the bytes.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// The one-line reason of a file error (Foundation's messages are long).
    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
           let message = strerror(Int32(underlying.code)) {
            return String(cString: message)
        }
        switch nsError.code {
        case NSFileReadNoSuchFileError: return "no such file"
        case NSFileReadNoPermissionError: return "permission denied"
        default: return nsError.localizedDescription
        }
    }
}
