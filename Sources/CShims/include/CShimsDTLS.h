#ifndef WEBRTC_LAB_CSHIMS_DTLS_H
#define WEBRTC_LAB_CSHIMS_DTLS_H
// C wrappers for the OpenSSL DTLS calls that are function-like macros (Swift
// cannot import those) and for the datagram BIO's method table.
//
// OpenSSL types appear only as pointers to their incomplete structs, so this
// header does not pull <openssl/ssl.h> into the CShims module: Swift then sees
// one declaration of every OpenSSL type (COpenSSL's), never two clashing ones.
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ssl_st;
struct ssl_ctx_st;
struct bio_st;
struct bio_method_st;

/// Restricts a context to DTLS 1.2 (min and max protocol version). Returns 1 on success.
int lab_dtls_ctx_use_dtls12_only(struct ssl_ctx_st *ctx);

/// Turns off session resumption on a context (no session cache, no tickets), so a
/// context shared by several connections never resumes one from another.
/// Returns 1 on success.
int lab_dtls_ctx_forbid_resumption(struct ssl_ctx_st *ctx);

/// Whether `ssl`'s handshake resumed a session (1) or was a full one (0).
int lab_dtls_session_reused(const struct ssl_st *ssl);

/// 1 when `ctx` keeps no sessions and issues no tickets (what
/// `lab_dtls_ctx_forbid_resumption` sets), else 0.
int lab_dtls_ctx_resumption_forbidden(const struct ssl_ctx_st *ctx);

/// Sets the options every endpoint wants: no MTU query (our BIO has no socket),
/// no renegotiation (RFC 8827 §6.5 forbids it for WebRTC), no session tickets
/// (WebRTC never resumes), and the cookie exchange
/// (HelloVerifyRequest) when `cookie_exchange` is non-zero.
void lab_dtls_set_options(struct ssl_st *ssl, int cookie_exchange);

/// DTLS_set_link_mtu: the largest datagram, before the BIO's own overhead. Returns 1 on success.
int lab_dtls_set_link_mtu(struct ssl_st *ssl, long mtu);

/// DTLSv1_get_timeout: microseconds until the retransmission timer fires
/// (0 when already due), or -1 when no timer is armed.
int64_t lab_dtls_get_timeout_us(struct ssl_st *ssl);

/// DTLSv1_handle_timeout: 1 when the timer had expired and the flight was resent,
/// 0 when nothing was due, -1 on failure (too many retransmissions).
int lab_dtls_handle_timeout(struct ssl_st *ssl);

/// SSL_set_retry_verify: called from the certificate verify callback on a client to
/// pause the handshake until the application calls SSL_do_handshake again.
int lab_dtls_set_retry_verify(struct ssl_st *ssl);

/// True while the server waits for the client's second flight (Certificate onward):
/// its last message written was ServerHelloDone.
int lab_dtls_server_awaits_client_flight(const struct ssl_st *ssl);

/// True when the handshake state machine is in its "before" state (nothing sent or received).
int lab_dtls_handshake_not_started(const struct ssl_st *ssl);

/// The value OpenSSL's error queue uses for "peer did not return a certificate"
/// (a macro, so Swift cannot see it).
int lab_dtls_reason_no_peer_certificate(void);

/// BIO_set_retry_read / BIO_clear_retry_flags (macros over BIO_set_flags).
void lab_dtls_bio_set_retry_read(struct bio_st *bio);
void lab_dtls_bio_clear_retry_flags(struct bio_st *bio);

/// A datagram-typed BIO method table with the given callbacks. Created once by the
/// caller and never freed (OpenSSL treats method tables as read-only and shared).
struct bio_method_st *lab_dtls_datagram_bio_method(
    const char *name,
    int (*write_fn)(struct bio_st *, const char *, int),
    int (*read_fn)(struct bio_st *, char *, int),
    long (*ctrl_fn)(struct bio_st *, int, long, void *));

#ifdef __cplusplus
}
#endif
#endif
