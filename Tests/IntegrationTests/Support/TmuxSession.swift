import Foundation

/// A private tmux server running one command in a detached window of a fixed size, for reading a
/// full-screen program's picture with `capture-pane` and typing into it with `send-keys`.
///
/// Why tmux is not started with `Process`: Foundation (swift-corelibs) learns that a child exited
/// when a socket it leaves open in the child reaches end of file. The tmux server daemonises from
/// the client without closing inherited descriptors (`daemon()` only redirects 0–2), so it keeps
/// that socket open for its whole life and `waitUntilExit`/`isRunning` never see the client end: the
/// test hangs although `tmux new-session -d` works by hand. Every tmux command is therefore spawned
/// with `posix_spawn`, descriptors 0–2 on /dev/null or a file, and every other descriptor closed in
/// the child; nothing waits on a pipe's end of file. The server has its own socket in the scratch
/// directory (`-S`), so it never meets another tmux, and is killed when the session is released.
///
/// The spawn also resets the signal mask and dispositions: tests run on worker threads that block
/// signals, a spawned child inherits that mask, and the server would hand it on to the program in the
/// pane, which then never receives SIGTERM or SIGWINCH.
final class TmuxSession: @unchecked Sendable {
    let socketPath: String
    private let scratch: ScratchDirectory
    private let environment: [String]

    /// Starts a server with one window of `width`×`height` running `command` (a shell command line).
    /// The pane stays after the command exits, so its last picture and exit status can be read.
    init(scratch: ScratchDirectory, command: String, width: Int = 120, height: Int = 40) throws {
        self.scratch = scratch
        socketPath = scratch.file("tmux.sock")
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "TMUX")
        env["TERM"] = env["TERM"].flatMap { $0.isEmpty || $0 == "dumb" ? nil : $0 } ?? "xterm-256color"
        environment = env.map { "\($0.key)=\($0.value)" }
        try tmux(["new-session", "-d", "-x", "\(width)", "-y", "\(height)", command,
                  ";", "set-option", "-w", "remain-on-exit", "on"])
    }

    /// The visible screen, one string per row (trailing spaces trimmed by tmux); with `history`, the
    /// lines scrolled off the top as well.
    func screen(history: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p"] + (history ? ["-S", "-"] : []))
    }

    /// Types `keys` into the pane (tmux key names, e.g. "a", "Tab", "q", "C-c").
    func sendKeys(_ keys: String...) throws {
        try tmux(["send-keys"] + keys)
    }

    /// Resizes the window, as a terminal emulator does when its window is dragged.
    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-x", "\(width)", "-y", "\(height)"])
    }

    /// A tmux format about the pane, e.g. `#{pane_dead}` or `#{alternate_on}`.
    func paneFormat(_ format: String) throws -> String {
        try tmux(["display-message", "-p", format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls the screen until `predicate` holds, at most `timeout` seconds; returns the screen and the
    /// instant it was captured. Throws with the last screen when the deadline passes.
    @discardableResult
    func waitForScreen(
        timeout: Double, _ what: String, _ predicate: (String) -> Bool
    ) throws -> (screen: String, at: ContinuousClock.Instant) {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        var last = ""
        while ContinuousClock.now < deadline {
            last = try screen()
            let seen = ContinuousClock.now
            if predicate(last) { return (last, seen) }
            usleep(20_000)
        }
        throw Failure("screen never showed \(what) within \(timeout) s; last screen:\n\(last)")
    }

    /// Runs one tmux client command against this server and returns its standard output.
    @discardableResult
    func tmux(_ arguments: [String], timeout: Double = 20) throws -> String {
        let output = scratch.file("tmux-out-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let status = try Self.spawnAndWait(
            ["/usr/bin/tmux", "-S", socketPath] + arguments, environment: environment, stdout: output,
            timeout: timeout)
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard status == 0 else { throw Failure("tmux \(arguments.joined(separator: " ")) exited \(status): \(text)") }
        return text
    }

    deinit {
        _ = try? Self.spawnAndWait(
            ["/usr/bin/tmux", "-S", socketPath, "kill-server"], environment: environment, stdout: "/dev/null", timeout: 10)
    }

    /// Spawns `argv` with stdin and stderr on /dev/null, stdout to the file at `stdout`, and every
    /// other descriptor closed; waits (polling, so a wedged child is killed) for its exit status.
    private static func spawnAndWait(_ argv: [String], environment: [String], stdout: String, timeout: Double) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        closeInheritedDescriptors(&actions)
        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup($0) } + [nil]
        defer { (cArguments + cEnvironment).forEach { free($0) } }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
        guard spawned == 0 else { throw Failure("cannot spawn \(argv[0]): \(String(cString: strerror(spawned)))") }
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if ContinuousClock.now > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                throw Failure("\(argv.joined(separator: " ")) did not finish within \(timeout) s")
            }
            usleep(5_000)
        }
        // WIFEXITED/WEXITSTATUS are macros Swift cannot import.
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// Closes every descriptor above 2 in the child: glibc's closefrom action when the C library has it
    /// (2.34+), otherwise each descriptor open in this process now.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, 3)
            return
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap({ Int32($0) }) where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
    }
}
