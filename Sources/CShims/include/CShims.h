#ifndef WEBRTC_LAB_CSHIMS_H
#define WEBRTC_LAB_CSHIMS_H
// The few C wrappers Swift cannot import directly: OpenSSL function-like
// macros, one-shot digests behind OpenSSL 3's EVP API, and helpers that keep
// variadic or macro-heavy C out of Swift.
#include <stddef.h>
#include <stdint.h>
#include "CShimsIdentity.h"
#include "CShimsDTLS.h"

#ifdef __cplusplus
extern "C" {
#endif

/// OpenSSL's runtime version number (OPENSSL_VERSION_NUMBER of the loaded libcrypto).
unsigned long lab_openssl_version_number(void);

/// Human-readable OpenSSL runtime version ("OpenSSL 3.0.x ...").
const char *lab_openssl_version_text(void);

/// HMAC with SHA-1 (20-byte output) or SHA-256 (32-byte output).
/// Returns the number of bytes written to `out` (which must hold 32), 0 on failure.
size_t lab_hmac(int sha256, const uint8_t *key, size_t key_len,
                const uint8_t *data, size_t data_len, uint8_t *out);

/// One-shot digest: algorithm 0 = MD5 (16 bytes), 1 = SHA-1 (20), 2 = SHA-256 (32),
/// 3 = SHA-224 (28), 4 = SHA-384 (48), 5 = SHA-512 (64).
/// Returns bytes written to `out` (which must hold 64), 0 on failure or unknown algorithm.
size_t lab_digest(int algorithm, const uint8_t *data, size_t data_len, uint8_t *out);

#ifdef __cplusplus
}
#endif
#endif
