#if canImport(Glibc)
import Glibc
#endif

/// Set by the SIGWINCH handler; the shell redraws at the new size when it sees it.
nonisolated(unsafe) var terminalResized: sig_atomic_t = 0
/// The terminal settings to put back, kept global so the fatal-signal handler can reach them.
nonisolated(unsafe) private var savedTerminal = termios()
nonisolated(unsafe) private var terminalIsRaw = false

/// Raw keyboard input and the alternate screen, restored on exit and on fatal signals.
enum RawTerminal {
    /// Switches stdin to raw mode and enters the alternate screen.
    static func enter() {
        guard tcgetattr(0, &savedTerminal) == 0 else { return }
        var raw = savedTerminal
        cfmakeraw(&raw)
        raw.c_oflag |= tcflag_t(OPOST)  // keep "\n" → "\r\n" so lines start at column 0
        tcsetattr(0, TCSAFLUSH, &raw)
        terminalIsRaw = true
        emit("\u{1B}[?1049h\u{1B}[?25l")
        signal(SIGWINCH) { _ in terminalResized = 1 }
        for fatal in [SIGTERM, SIGINT, SIGHUP, SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGTRAP] {
            signal(fatal) { number in
                RawTerminal.restore()
                signal(number, SIG_DFL)
                raise(number)
            }
        }
    }

    /// Leaves the alternate screen and restores the saved settings; safe to call more than once.
    static func restore() {
        guard terminalIsRaw else { return }
        terminalIsRaw = false
        emit("\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l")
        tcsetattr(0, TCSAFLUSH, &savedTerminal)
    }

    /// The window size, or 80×24 when stdout is not a terminal.
    static func size() -> (width: Int, height: Int) {
        var window = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0 else { return (80, 24) }
        return (Int(window.ws_col), Int(window.ws_row))
    }

    /// Draws `lines` from the top left, clearing what each line leaves over. No line break follows the
    /// last line: on the bottom row it would scroll the screen and shift the whole picture up.
    static func draw(_ lines: [String]) {
        let frame = "\u{1B}[H" + lines.map { $0 + "\u{1B}[K" }.joined(separator: "\r\n") + "\u{1B}[J"
        emit(frame)
    }

    /// Reads the keys waiting on stdin (after poll said it is readable); nil at end of input.
    static func readKeys() -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: 64)
        let count = bytes.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
        if count < 0, errno == EINTR || errno == EAGAIN { return [] }
        return count > 0 ? Array(bytes[..<count]) : nil
    }

    private static func emit(_ text: String) {
        var copy = text
        copy.withUTF8 { _ = write(1, $0.baseAddress, $0.count) }
    }
}
