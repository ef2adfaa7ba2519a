#define _GNU_SOURCE
#include <sys/socket.h>
#include <string.h>
#include "CShims.h"

int cshim_so_peercred(void) { return SO_PEERCRED; }

int cshim_get_peer_credentials(int fd, cshim_peer_credentials *out) {
    struct ucred cred;
    socklen_t length = sizeof(cred);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &length) != 0) return -1;
    out->pid = cred.pid;
    out->uid = cred.uid;
    out->gid = cred.gid;
    return 0;
}
