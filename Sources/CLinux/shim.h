/* Linux calls that Swift's Glibc module does not bring in: extended attributes
 * (flistxattr, fgetxattr, fsetxattr), which carry POSIX ACLs and SELinux labels, and
 * memfd_create, a file in memory for a child process's output. */
#define _GNU_SOURCE 1
#include <sys/mman.h>
#include <sys/xattr.h>
