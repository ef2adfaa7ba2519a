internal import CSystemd

/// Socket activation: a listening socket systemd opened for us (infusiond.socket), if any.
enum SocketActivation {
    /// The first passed listening socket (fd 3), or nil when the daemon was started without one.
    /// Clears the LISTEN_* variables so child processes do not see them.
    static func listeningSocket() -> Int32? {
        let count = sd_listen_fds(1)
        guard count >= 1 else { return nil }
        return SD_LISTEN_FDS_START
    }
}
