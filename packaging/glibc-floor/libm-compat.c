/*
 * The release binary's glibc floor is 2.28 (RHEL 8). glibc 2.29 gave exp, exp2, log and log2
 * new, faster implementations under a new symbol version (GLIBC_2.29), and a binary linked
 * against glibc 2.29 or later asks for those. The old versions are still in every libm since,
 * so the build links with `--wrap=exp` (and so on): every call to exp then goes to
 * __wrap_exp below, which calls the version every x86_64 glibc has had (GLIBC_2.2.5).
 * Their results may differ from 2.29's in the last bit; the Swift runtime's few uses of
 * them (hashing load factors, formatting) do not depend on that.
 *
 * Compiled with -fno-builtin so that the compiler cannot turn these calls into others.
 */
#if defined(__x86_64__)
#define OLD_LIBM "GLIBC_2.2.5"
#elif defined(__aarch64__)
#define OLD_LIBM "GLIBC_2.17"
#else
#error "name the oldest libm symbol version of this architecture"
#endif

#define BIND_TO_OLD_VERSION(name)                                              \
    double ctagent_old_##name(double);                                         \
    __asm__(".symver ctagent_old_" #name ", " #name "@" OLD_LIBM);             \
    double __wrap_##name(double x) { return ctagent_old_##name(x); }

BIND_TO_OLD_VERSION(exp)
BIND_TO_OLD_VERSION(exp2)
BIND_TO_OLD_VERSION(log)
BIND_TO_OLD_VERSION(log2)
