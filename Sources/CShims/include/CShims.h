#ifndef INFUSIOND_CSHIMS_H
#define INFUSIOND_CSHIMS_H

#include <sys/types.h>
#include "CShimsRealtime.h"

/// The credentials of the process at the other end of a Unix socket, as SO_PEERCRED reports them.
/// Same layout as Linux's `struct ucred`, which Swift's Glibc module does not expose.
typedef struct {
    pid_t pid;
    uid_t uid;
    gid_t gid;
} cshim_peer_credentials;

/// The SO_PEERCRED option name, for use with NIO's generic socket-option access.
int cshim_so_peercred(void);

/// Reads the peer credentials of a connected Unix socket. Returns 0, or -1 with errno set.
int cshim_get_peer_credentials(int fd, cshim_peer_credentials *out);

#endif
