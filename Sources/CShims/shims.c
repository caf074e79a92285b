#include "CShims.h"
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

unsigned long lab_openssl_version_number(void) { return OpenSSL_version_num(); }

const char *lab_openssl_version_text(void) { return OpenSSL_version(OPENSSL_VERSION); }

size_t lab_hmac(int sha256, const uint8_t *key, size_t key_len,
                const uint8_t *data, size_t data_len, uint8_t *out) {
    unsigned int out_len = 0;
    // HMAC() stays the simplest correct one-shot in OpenSSL 3.0; EVP_MAC would
    // need a fetched context per call for no benefit at STUN's message sizes.
    if (HMAC(sha256 ? EVP_sha256() : EVP_sha1(), key, (int)key_len, data, data_len,
             out, &out_len) == NULL) {
        return 0;
    }
    return out_len;
}

size_t lab_digest(int algorithm, const uint8_t *data, size_t data_len, uint8_t *out) {
    const EVP_MD *md;
    switch (algorithm) {
    case 0: md = EVP_md5(); break;
    case 1: md = EVP_sha1(); break;
    case 2: md = EVP_sha256(); break;
    case 3: md = EVP_sha224(); break;
    case 4: md = EVP_sha384(); break;
    case 5: md = EVP_sha512(); break;
    default: return 0; // an unknown algorithm is the caller's bug, not a reason to guess
    }
    unsigned int out_len = 0;
    if (EVP_Digest(data, data_len, out, &out_len, md, NULL) != 1) {
        return 0;
    }
    return out_len;
}
