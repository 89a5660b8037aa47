/*
 * The part of the libssl/libcrypto ABI that ctagent's testProxy uses, declared as
 * function-pointer types and constants so that ProxyProbe can load libssl.so.3 or libssl.so.1.1 with dlopen
 * when a probe needs TLS. Linking it instead would load both libraries (and run their
 * relocations) at the start of every command, also those that never probe; dlopen keeps
 * their start-up unchanged. The values are the same in OpenSSL 3 and 1.1.1 (ssl.h, x509_vfy.h, bio.h, tls1.h).
 */
#ifndef CTAGENT_TLS_ABI_H
#define CTAGENT_TLS_ABI_H

#include <stddef.h>

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_method_st SSL_METHOD;
typedef struct bio_st BIO;
typedef struct bio_method_st BIO_METHOD;
typedef struct x509_st X509;
typedef struct X509_name_st X509_NAME;
typedef struct X509_VERIFY_PARAM_st X509_VERIFY_PARAM;

enum {
    CTAGENT_SSL_ERROR_SSL = 1,
    CTAGENT_SSL_ERROR_WANT_READ = 2,
    CTAGENT_SSL_ERROR_WANT_WRITE = 3,
    CTAGENT_SSL_ERROR_SYSCALL = 5,
    CTAGENT_SSL_ERROR_ZERO_RETURN = 6,
    CTAGENT_SSL_VERIFY_NONE = 0,
    CTAGENT_SSL_CTRL_SET_TLSEXT_HOSTNAME = 55,
    CTAGENT_TLSEXT_NAMETYPE_host_name = 0,
    CTAGENT_BIO_CTRL_PENDING = 10,
    CTAGENT_X509_V_OK = 0,
    CTAGENT_X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT = 2,
    CTAGENT_X509_V_ERR_CERT_NOT_YET_VALID = 9,
    CTAGENT_X509_V_ERR_CERT_HAS_EXPIRED = 10,
    CTAGENT_X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT = 18,
    CTAGENT_X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN = 19,
    CTAGENT_X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY = 20,
    CTAGENT_X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE = 21,
    CTAGENT_X509_V_ERR_HOSTNAME_MISMATCH = 62,
    CTAGENT_X509_V_ERR_IP_ADDRESS_MISMATCH = 64,
};

typedef const SSL_METHOD *(*ctagent_TLS_client_method_t)(void);
typedef SSL_CTX *(*ctagent_SSL_CTX_new_t)(const SSL_METHOD *method);
typedef void (*ctagent_SSL_CTX_free_t)(SSL_CTX *ctx);
typedef int (*ctagent_SSL_CTX_set_default_verify_paths_t)(SSL_CTX *ctx);
typedef int (*ctagent_SSL_CTX_load_verify_locations_t)(SSL_CTX *ctx, const char *file, const char *path);
typedef void (*ctagent_SSL_CTX_set_verify_t)(SSL_CTX *ctx, int mode, void *callback);
typedef SSL *(*ctagent_SSL_new_t)(SSL_CTX *ctx);
typedef void (*ctagent_SSL_free_t)(SSL *ssl);
typedef void (*ctagent_SSL_set_connect_state_t)(SSL *ssl);
typedef long (*ctagent_SSL_ctrl_t)(SSL *ssl, int cmd, long larg, void *parg);
typedef int (*ctagent_SSL_set1_host_t)(SSL *ssl, const char *hostname);
typedef X509_VERIFY_PARAM *(*ctagent_SSL_get0_param_t)(SSL *ssl);
typedef int (*ctagent_X509_VERIFY_PARAM_set1_ip_asc_t)(X509_VERIFY_PARAM *param, const char *ip);
typedef const BIO_METHOD *(*ctagent_BIO_s_mem_t)(void);
typedef BIO *(*ctagent_BIO_new_t)(const BIO_METHOD *type);
typedef void (*ctagent_SSL_set_bio_t)(SSL *ssl, BIO *rbio, BIO *wbio);
typedef int (*ctagent_BIO_write_t)(BIO *bio, const void *data, int length);
typedef int (*ctagent_BIO_read_t)(BIO *bio, void *data, int length);
typedef long (*ctagent_BIO_ctrl_t)(BIO *bio, int cmd, long larg, void *parg);
typedef int (*ctagent_SSL_do_handshake_t)(SSL *ssl);
typedef int (*ctagent_SSL_get_error_t)(const SSL *ssl, int ret);
typedef int (*ctagent_SSL_read_t)(SSL *ssl, void *buffer, int count);
typedef int (*ctagent_SSL_write_t)(SSL *ssl, const void *buffer, int count);
typedef long (*ctagent_SSL_get_verify_result_t)(const SSL *ssl);
typedef const char *(*ctagent_X509_verify_cert_error_string_t)(long code);
typedef X509 *(*ctagent_SSL_get1_peer_certificate_t)(const SSL *ssl);
typedef void (*ctagent_X509_free_t)(X509 *cert);
typedef X509_NAME *(*ctagent_X509_get_name_t)(const X509 *cert);
typedef char *(*ctagent_X509_NAME_oneline_t)(const X509_NAME *name, char *buffer, int size);
typedef const char *(*ctagent_SSL_get_version_t)(const SSL *ssl);
typedef unsigned long (*ctagent_ERR_get_error_t)(void);
typedef void (*ctagent_ERR_error_string_n_t)(unsigned long code, char *buffer, size_t length);
typedef void (*ctagent_ERR_clear_error_t)(void);

#endif
