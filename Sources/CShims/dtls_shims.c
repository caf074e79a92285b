// DTLS shims: each wraps an OpenSSL macro Swift cannot call, nothing more.
// Decisions (which options, when to pause) live in the Swift DTLS module.
#include "CShimsDTLS.h"
#include <openssl/ssl.h>
#include <openssl/bio.h>
#include <openssl/err.h>

int lab_dtls_ctx_use_dtls12_only(SSL_CTX *ctx) {
    // WebRTC requires DTLS 1.2 (RFC 8827 §6.5); pinning both ends keeps OpenSSL
    // from offering 1.0 and keeps the negotiated version one known value.
    return SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION) == 1
        && SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION) == 1;
}

int lab_dtls_ctx_forbid_resumption(SSL_CTX *ctx) {
    // Contexts are shared by every endpoint of a certificate (DTLSContextCache):
    // with OpenSSL's default server-side session cache, a peer could offer the
    // session ID of an earlier connection and resume it, skipping the certificate
    // check against this connection's fingerprint. WebRTC never resumes anyway.
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    return SSL_CTX_get_session_cache_mode(ctx) == SSL_SESS_CACHE_OFF;
}

int lab_dtls_session_reused(const SSL *ssl) {
    return SSL_session_reused(ssl) == 1;
}

int lab_dtls_ctx_resumption_forbidden(const SSL_CTX *ctx) {
    return SSL_CTX_get_session_cache_mode((SSL_CTX *)ctx) == SSL_SESS_CACHE_OFF
        && (SSL_CTX_get_options(ctx) & SSL_OP_NO_TICKET) != 0;
}

void lab_dtls_set_options(SSL *ssl, int cookie_exchange) {
    // NO_QUERY_MTU: OpenSSL would otherwise ask the BIO for a socket's path MTU;
    // ours has no socket, so the MTU comes from DTLS_set_link_mtu instead.
    // NO_TICKET: WebRTC never resumes a session, so a NewSessionTicket would
    // only add ~500 bytes to the server's last flight.
    uint64_t options = SSL_OP_NO_QUERY_MTU | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET;
    if (cookie_exchange) {
        options |= SSL_OP_COOKIE_EXCHANGE;
    }
    SSL_set_options(ssl, options);
}

int lab_dtls_set_link_mtu(SSL *ssl, long mtu) {
    return DTLS_set_link_mtu(ssl, mtu) == 1;
}

int64_t lab_dtls_get_timeout_us(SSL *ssl) {
    struct timeval remaining = {0, 0};
    if (DTLSv1_get_timeout(ssl, &remaining) != 1) {
        return -1;
    }
    return (int64_t)remaining.tv_sec * 1000000 + (int64_t)remaining.tv_usec;
}

int lab_dtls_handle_timeout(SSL *ssl) {
    return (int)DTLSv1_handle_timeout(ssl);
}

int lab_dtls_set_retry_verify(SSL *ssl) {
    return SSL_set_retry_verify(ssl) ? 1 : 0;
}

int lab_dtls_server_awaits_client_flight(const SSL *ssl) {
    return SSL_get_state(ssl) == TLS_ST_SW_SRVR_DONE;
}

int lab_dtls_handshake_not_started(const SSL *ssl) {
    return SSL_get_state(ssl) == TLS_ST_BEFORE;
}

int lab_dtls_reason_no_peer_certificate(void) {
    return SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE;
}

void lab_dtls_bio_set_retry_read(BIO *bio) { BIO_set_retry_read(bio); }

void lab_dtls_bio_clear_retry_flags(BIO *bio) { BIO_clear_retry_flags(bio); }

BIO_METHOD *lab_dtls_datagram_bio_method(const char *name,
                                         int (*write_fn)(BIO *, const char *, int),
                                         int (*read_fn)(BIO *, char *, int),
                                         long (*ctrl_fn)(BIO *, int, long, void *)) {
    // A fresh type index marked as a datagram source/sink: OpenSSL's DTLS code
    // only checks the BIO's behaviour (ctrl answers), but tools that print BIO
    // chains then show an honest type.
    int index = BIO_get_new_index();
    if (index == -1) {
        return NULL;
    }
    BIO_METHOD *method = BIO_meth_new(index | BIO_TYPE_SOURCE_SINK, name);
    if (method == NULL) {
        return NULL;
    }
    if (BIO_meth_set_write(method, write_fn) != 1
        || BIO_meth_set_read(method, read_fn) != 1
        || BIO_meth_set_ctrl(method, ctrl_fn) != 1) {
        BIO_meth_free(method);
        return NULL;
    }
    return method;
}
