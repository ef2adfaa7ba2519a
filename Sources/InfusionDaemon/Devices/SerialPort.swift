import Glibc
package import Logging

/// Opens and configures a serial device node (a USB-serial adapter, a `/dev/ttyS*`, or the slave
/// side of a pseudo-terminal standing in for a device).
///
/// The port is opened `O_NONBLOCK | O_NOCTTY | O_CLOEXEC` and put in raw mode (`cfmakeraw`), with
/// the speed and character format of `SerialLineSettings`, the receiver on and modem control lines
/// ignored (`CREAD | CLOCAL`). It is not gated on `isatty`: anything `tcsetattr` accepts will do.
/// Two pseudo-terminal traps are tolerated (docs/DEVICE-BASIS.md §10.1): the kernel forces
/// a pty back to CS8 without parity (glibc then reports EINVAL although the speed and raw mode took
/// effect), and modem-line ioctls fail with ENOTTY.
package enum SerialPort {
    /// Opens `path` and configures it; returns the descriptor, which the caller owns and must close
    /// (or hand to `SerialLink`, which then owns it).
    package static func open(
        path: String, settings: SerialLineSettings, logger: Logger
    ) throws(SerialPortError) -> CInt {
        guard let speed = speed(for: settings.baudRate), let size = characterSize(settings.dataBits),
            settings.stopBits == 1 || settings.stopBits == 2
        else {
            throw SerialPortError(code: .unsupportedSettings, path: path, detail: "unsupported line settings \(settings)")
        }
        let descriptor = Glibc.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw SerialPortError(code: .open, path: path, systemError: errno, detail: "cannot open")
        }
        do throws(SerialPortError) {
            try configure(descriptor, path: path, speed: speed, size: size, settings: settings, logger: logger)
        } catch {
            close(descriptor)
            throw error
        }
        return descriptor
    }

    private static func configure(
        _ descriptor: CInt, path: String, speed: speed_t, size: tcflag_t, settings: SerialLineSettings, logger: Logger
    ) throws(SerialPortError) {
        var attributes = termios()
        guard tcgetattr(descriptor, &attributes) == 0 else {
            throw SerialPortError(code: .configure, path: path, systemError: errno, detail: "tcgetattr failed")
        }
        cfmakeraw(&attributes)
        // Each flag converted on its own: the C macros import with different integer types.
        let cleared = tcflag_t(CSIZE) | tcflag_t(PARENB) | tcflag_t(PARODD) | tcflag_t(CSTOPB) | tcflag_t(CRTSCTS)
        attributes.c_cflag &= ~cleared
        attributes.c_cflag |= size | tcflag_t(CLOCAL) | tcflag_t(CREAD)
        switch settings.parity {
        case .none: break
        case .even: attributes.c_cflag |= tcflag_t(PARENB)
        case .odd: attributes.c_cflag |= tcflag_t(PARENB) | tcflag_t(PARODD)
        }
        if settings.stopBits == 2 { attributes.c_cflag |= tcflag_t(CSTOPB) }
        // Non-blocking reads driven by the event loop: return whatever has arrived.
        withUnsafeMutableBytes(of: &attributes.c_cc) { controlCharacters in
            controlCharacters[Int(VMIN)] = 1
            controlCharacters[Int(VTIME)] = 0
        }
        cfsetispeed(&attributes, speed)
        cfsetospeed(&attributes, speed)
        if tcsetattr(descriptor, TCSANOW, &attributes) != 0 {
            let failure = errno
            // glibc re-reads the settings and says EINVAL when part of the request did not stick;
            // on a pty that is the parity/size, which is harmless. Judge by what was applied.
            guard failure == EINVAL else {
                throw SerialPortError(code: .configure, path: path, systemError: failure, detail: "tcsetattr failed")
            }
        }
        var applied = termios()
        guard tcgetattr(descriptor, &applied) == 0 else {
            throw SerialPortError(code: .configure, path: path, systemError: errno, detail: "tcgetattr failed")
        }
        guard cfgetospeed(&applied) == speed else {
            throw SerialPortError(code: .configure, path: path, detail: "speed \(settings.baudRate) did not take effect")
        }
        let format = tcflag_t(CSIZE) | tcflag_t(PARENB) | tcflag_t(PARODD) | tcflag_t(CSTOPB)
        if applied.c_cflag & format != attributes.c_cflag & format {
            logger.notice(
                "serial port kept another character format (a pseudo-terminal forces 8N1)",
                metadata: ["path": "\(path)", "requested": "\(settings)"])
        }
        raiseModemControlLines(descriptor, path: path, logger: logger)
        // Drop whatever the device sent before we were listening.
        _ = tcflush(descriptor, TCIOFLUSH)
    }

    /// Asserts DTR and RTS, which some adapters and devices need; ptys and some drivers refuse
    /// modem-line ioctls (ENOTTY, EINVAL), which is not an error for a three-wire link.
    private static func raiseModemControlLines(_ descriptor: CInt, path: String, logger: Logger) {
        var lines = CInt(TIOCM_DTR | TIOCM_RTS)
        if ioctl(descriptor, UInt(TIOCMBIS), &lines) != 0 {
            let failure = errno
            if failure != ENOTTY, failure != EINVAL {
                logger.notice("cannot raise DTR/RTS", metadata: ["path": "\(path)", "errno": "\(failure)"])
            }
        }
    }

    private static func characterSize(_ bits: Int) -> tcflag_t? {
        switch bits {
        case 5: tcflag_t(CS5)
        case 6: tcflag_t(CS6)
        case 7: tcflag_t(CS7)
        case 8: tcflag_t(CS8)
        default: nil
        }
    }

    private static func speed(for baudRate: Int) -> speed_t? {
        switch baudRate {
        case 300: speed_t(B300)
        case 1_200: speed_t(B1200)
        case 2_400: speed_t(B2400)
        case 4_800: speed_t(B4800)
        case 9_600: speed_t(B9600)
        case 19_200: speed_t(B19200)
        case 38_400: speed_t(B38400)
        case 57_600: speed_t(B57600)
        case 115_200: speed_t(B115200)
        case 230_400: speed_t(B230400)
        default: nil
        }
    }
}
