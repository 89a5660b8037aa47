/* Linux calls that Swift's Glibc module does not bring in: extended attributes
 * (flistxattr, fgetxattr, fsetxattr), which carry POSIX ACLs and SELinux labels. */
#include <sys/xattr.h>
