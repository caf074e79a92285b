#ifndef WEBRTC_LAB_CSHIMS_IDENTITY_H
#define WEBRTC_LAB_CSHIMS_IDENTITY_H
// C wrappers for the DTLS certificate code (Sources/DTLS/DTLSCertificate*.swift).
// OpenSSL objects cross this boundary as `void *` on purpose: including the
// OpenSSL headers here would make module CShims re-export OpenSSL's types next
// to COpenSSL's, and Swift would then see two copies of every declaration.
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A fresh ECDSA P-256 key pair (EVP_PKEY *), NULL on failure (see ERR_get_error).
/// Wraps EVP_EC_gen, which OpenSSL 3.0 defines as a macro over a variadic function.
void *lab_identity_ec_p256_generate(void);

/// The bytes a memory BIO holds (BIO_get_mem_data, a macro): stores a pointer into
/// the BIO in *out and returns the length, or -1 when `bio` is not a memory BIO.
long lab_identity_bio_mem_contents(void *bio, const char **out);

/// Converts an ASN1_TIME (notBefore/notAfter) to seconds since the Unix epoch.
/// Returns 1 on success, 0 when the time cannot be parsed.
int lab_identity_asn1_time_to_unix(const void *asn1_time, int64_t *out);

/// Flags for X509_NAME_print_ex: RFC 2253's one-line form (`CN=a,O=b`) but with
/// non-ASCII characters left as UTF-8 instead of escaped as `\C3\A9`. Swift cannot
/// import XN_FLAG_RFC2253 (an OR of macros that are themselves ORs).
unsigned long lab_identity_name_print_flags(void);

#ifdef __cplusplus
}
#endif
#endif
