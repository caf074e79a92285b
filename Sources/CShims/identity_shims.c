// Shims for certificate handling (see include/CShimsIdentity.h for why `void *`).
#include "CShimsIdentity.h"
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <time.h>

void *lab_identity_ec_p256_generate(void) {
    // EVP_EC_gen expands to EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve): variadic,
    // so Swift cannot call either form. P-256 is what browsers generate for WebRTC.
    return EVP_EC_gen("P-256");
}

long lab_identity_bio_mem_contents(void *bio, const char **out) {
    char *data = NULL;
    long length = BIO_get_mem_data((BIO *)bio, &data);
    if (length < 0 || (length > 0 && data == NULL)) {
        return -1;
    }
    *out = data;
    return length;
}

int lab_identity_asn1_time_to_unix(const void *asn1_time, int64_t *out) {
    struct tm parsed = {0};
    // ASN1_TIME_to_tm validates both UTCTime and GeneralizedTime and yields UTC
    // fields; timegm (not mktime) keeps the local time zone out of it.
    if (asn1_time == NULL || ASN1_TIME_to_tm((const ASN1_TIME *)asn1_time, &parsed) != 1) {
        return 0;
    }
    // With a 64-bit time_t, timegm of fields ASN1_TIME_to_tm accepted cannot overflow.
    *out = (int64_t)timegm(&parsed);
    return 1;
}

unsigned long lab_identity_name_print_flags(void) { return XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB; }
