/* Linux calls that Swift's Glibc module does not bring in: extended attributes
 * (flistxattr, fgetxattr, fsetxattr), which carry POSIX ACLs and SELinux labels, and
 * memfd_create, a file in memory for a child process's output. */
#include <sys/xattr.h>

/* glibc declares memfd_create only under _GNU_SOURCE, and defining that here would change
 * headers this module shares with Swift's Glibc module (fd_set no longer matches). The
 * prototype and the flag are the kernel's stable ABI (glibc 2.27, Linux 3.17). */
int memfd_create(const char *name, unsigned int flags);
#define CTAGENT_MFD_CLOEXEC 0x0001U

/* pipe2, under _GNU_SOURCE in glibc for the same reason: a pipe whose ends are close-on-exec
 * from the start (glibc 2.9, Linux 2.6.27), so that no other child inherits them. */
int pipe2(int pipefd[2], int flags);
