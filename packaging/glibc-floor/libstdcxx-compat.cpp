/*
 * The Swift runtime is built against a newer libstdc++ than the floor's (GCC 10 in Debian 11,
 * GCC 8 in RHEL 8): its inlined hash tables call std::__throw_bad_array_new_length(), which
 * libstdc++ exports only from GCC 11 (GLIBCXX_3.4.29). Defined here, the binary does not ask
 * the host's libstdc++ for it; it throws what GCC 11's does.
 */
#include <new>

namespace std {
[[noreturn]] void __throw_bad_array_new_length() { throw std::bad_array_new_length(); }
}
