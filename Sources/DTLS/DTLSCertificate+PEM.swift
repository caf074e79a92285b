import COpenSSL

/// PEM (RFC 7468) in and out: load an identity made with the `openssl` CLI, or write
/// ours for `openssl s_client -cert/-key` in interop tests.
extension DTLSCertificate {
    /// Loads a certificate and its private key from PEM text.
    ///
    /// The key may be RSA (at least 2048 bits, OpenSSL 3's default security level)
    /// or EC; PKCS#8 and the traditional `RSA`/`EC PRIVATE KEY` forms are accepted.
    /// Encrypted keys are refused rather than prompting for a passphrase. Of several
    /// certificates, the first is used.
    /// - Throws: `.invalidCertificate` when either text is not usable PEM, the key type
    ///   is unsupported, or the key does not belong to the certificate.
    public convenience init(pemCertificate: String, pemPrivateKey: String) throws(DTLSError) {
        let x509 = try Self.withMemoryBIO(pemCertificate) { bio throws(DTLSError) in
            try Self.readCertificate(bio, source: "the PEM certificate")
        }
        let key: OpaquePointer
        do {
            key = try Self.withMemoryBIO(pemPrivateKey) { bio throws(DTLSError) in
                try Self.readPrivateKey(bio, source: "the PEM private key")
            }
        } catch {
            X509_free(x509)
            throw error
        }
        try self.init(checking: x509, privateKey: key)
    }

    /// Loads a certificate and its private key from PEM files.
    /// - Throws: `.invalidCertificate` naming the file that cannot be opened or parsed,
    ///   or when the key does not belong to the certificate.
    public convenience init(certificateFile: String, privateKeyFile: String) throws(DTLSError) {
        let x509 = try Self.withFileBIO(certificateFile) { bio throws(DTLSError) in
            try Self.readCertificate(bio, source: "certificate file '\(certificateFile)'")
        }
        let key: OpaquePointer
        do {
            key = try Self.withFileBIO(privateKeyFile) { bio throws(DTLSError) in
                try Self.readPrivateKey(bio, source: "private key file '\(privateKeyFile)'")
            }
        } catch {
            X509_free(x509)
            throw error
        }
        try self.init(checking: x509, privateKey: key)
    }

    /// The certificate as PEM (`-----BEGIN CERTIFICATE-----`).
    public var pemCertificate: String {
        Self.writePEM("certificate") { PEM_write_bio_X509($0, x509) }
    }

    /// The private key as unencrypted PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    /// Treat it as a secret: whoever holds it can impersonate this endpoint.
    public var pemPrivateKey: String {
        Self.writePEM("private key") { PEM_write_bio_PrivateKey($0, privateKey, nil, nil, 0, nil, nil) }
    }

    /// Checks the pair, then takes ownership of both (frees both when it throws).
    private convenience init(checking x509: OpaquePointer, privateKey key: OpaquePointer) throws(DTLSError) {
        do throws(DTLSError) {
            try Self.checkKeyType(key)
            OpenSSLErrors.clear()
            guard X509_check_private_key(x509, key) == 1 else {
                throw DTLSError.openSSL(.invalidCertificate, "the private key does not match the certificate's public key")
            }
        } catch {
            X509_free(x509)
            EVP_PKEY_free(key)
            throw error
        }
        try self.init(takingOwnershipOf: x509, privateKey: key)
    }

    private static func checkKeyType(_ key: OpaquePointer) throws(DTLSError) {
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_EC:
            return
        case EVP_PKEY_RSA:
            let bits = EVP_PKEY_get_bits(key)
            guard bits >= 2048 else {
                throw DTLSError(.invalidCertificate, "RSA keys need at least 2048 bits, this one has \(bits)")
            }
        default:
            throw DTLSError(.invalidCertificate, "unsupported key type \(X509Facts.describe(key: key)) (use RSA or EC)")
        }
    }

    private static func readCertificate(_ bio: OpaquePointer, source: String) throws(DTLSError) -> OpaquePointer {
        OpenSSLErrors.clear()
        guard let x509 = PEM_read_bio_X509(bio, nil, refusePassphrase, nil) else {
            throw DTLSError.openSSL(.invalidCertificate, "\(source) holds no readable PEM certificate")
        }
        return x509
    }

    private static func readPrivateKey(_ bio: OpaquePointer, source: String) throws(DTLSError) -> OpaquePointer {
        OpenSSLErrors.clear()
        guard let key = PEM_read_bio_PrivateKey(bio, nil, refusePassphrase, nil) else {
            throw DTLSError.openSSL(.invalidCertificate, "\(source) holds no readable, unencrypted PEM private key")
        }
        return key
    }

    /// Runs `body` with a read-only memory BIO over `text`.
    private static func withMemoryBIO<T>(_ text: String, _ body: (OpaquePointer) throws(DTLSError) -> T) throws(DTLSError) -> T {
        let bytes = Array(text.utf8)
        guard bytes.count < Int32.max else {
            throw DTLSError(.invalidCertificate, "PEM text of \(bytes.count) bytes is too large")
        }
        let result: Result<T, DTLSError> = bytes.withUnsafeBytes { buffer in
            // BIO_new_mem_buf reads the bytes in place, so the BIO must not outlive this closure.
            guard let bio = BIO_new_mem_buf(buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(buffer.count)) else {
                return .failure(DTLSError.openSSL(.openSSLFailure, "BIO_new_mem_buf failed"))
            }
            defer { BIO_free(bio) }
            do throws(DTLSError) { return .success(try body(bio)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Runs `body` with a BIO reading the file at `path`.
    private static func withFileBIO<T>(_ path: String, _ body: (OpaquePointer) throws(DTLSError) -> T) throws(DTLSError) -> T {
        OpenSSLErrors.clear()
        guard let bio = BIO_new_file(path, "rb") else {
            throw DTLSError.openSSL(.invalidCertificate, "cannot open '\(path)'")
        }
        defer { BIO_free(bio) }
        return try body(bio)
    }

    /// Writes PEM into a memory BIO and returns it as text.
    private static func writePEM(_ what: String, _ write: (OpaquePointer) -> Int32) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { preconditionFailure("BIO_new failed writing the \(what) (out of memory)") }
        defer { BIO_free(bio) }
        // Only allocation can fail for an object we built and checked ourselves.
        guard write(bio) == 1, let text = X509Facts.memoryBIOString(bio) else {
            preconditionFailure("OpenSSL could not write the \(what) as PEM (out of memory)")
        }
        return text
    }
}

/// A passphrase callback that supplies none: an encrypted key then fails to load
/// instead of OpenSSL's default callback prompting on the terminal (which would
/// hang a test or a daemon).
private func refusePassphrase(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int32, _ rwflag: Int32,
                              _ userdata: UnsafeMutableRawPointer?) -> Int32 { 0 }
