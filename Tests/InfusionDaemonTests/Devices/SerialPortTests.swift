import Glibc
import Logging
import Testing

@testable import InfusionDaemon

@Suite("Serial port set-up on real pseudo-terminals")
struct SerialPortTests {
    /// A pty pair; the slave is closed at once, the test opens it by name.
    private func makePty() throws -> (master: CInt, path: String) {
        var master: CInt = -1
        var slave: CInt = -1
        var name = [CChar](repeating: 0, count: 128)
        try #require(openpty(&master, &slave, &name, nil, nil) == 0)
        close(slave)
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        return (master, String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    private let logger = Logger(label: "test.serial")

    @Test("raw mode and the requested speed are applied to a cooked pty")
    func appliesRawModeAndSpeed() throws {
        let pty = try makePty()
        defer { close(pty.master) }
        let descriptor = try SerialPort.open(path: pty.path, settings: .newEra, logger: logger)
        defer { close(descriptor) }
        var applied = termios()
        #expect(tcgetattr(descriptor, &applied) == 0)
        #expect(cfgetospeed(&applied) == speed_t(B19200))
        #expect(applied.c_lflag & tcflag_t(ICANON | ECHO) == 0)
        #expect(applied.c_iflag & tcflag_t(ICRNL) == 0)
        #expect(applied.c_cflag & tcflag_t(CLOCAL | CREAD) == tcflag_t(CLOCAL | CREAD))
        #expect(fcntl(descriptor, F_GETFL) & O_NONBLOCK != 0)
    }

    @Test("parity a pty cannot keep is not fatal, even when glibc reports EINVAL on reopen")
    func parityOnPtyIsTolerated() throws {
        let pty = try makePty()
        defer { close(pty.master) }
        let sevenEvenOne = SerialLineSettings(baudRate: 9_600, dataBits: 7, parity: .even)
        // The second open finds 9600 raw already set, so only the parity differs: the glibc trap.
        for _ in 0..<2 {
            let descriptor = try SerialPort.open(path: pty.path, settings: sevenEvenOne, logger: logger)
            var applied = termios()
            #expect(tcgetattr(descriptor, &applied) == 0)
            #expect(cfgetospeed(&applied) == speed_t(B9600))
            close(descriptor)
        }
    }

    @Test("a missing device and an unsupported speed are reported, not crashed on")
    func failures() throws {
        #expect(throws: SerialPortError.self) {
            try SerialPort.open(path: "/nonexistent/ttyUSB9", settings: .masimo, logger: logger)
        }
        let pty = try makePty()
        defer { close(pty.master) }
        do {
            _ = try SerialPort.open(path: pty.path, settings: SerialLineSettings(baudRate: 12_345), logger: logger)
            Issue.record("an unsupported speed was accepted")
        } catch {
            #expect(error.code == .unsupportedSettings)
        }
    }

    @Test("the link carries bytes both ways and ends when the master closes")
    func linkCarriesBytesAndEnds() async throws {
        let pty = try makePty()
        let link = try await SerialLink.open(path: pty.path, settings: .intelliVue, logger: logger)
        try await link.write([0xC0, 0x7D, 0xC1])
        var echoed = [UInt8](repeating: 0, count: 8)
        var count = -1
        for _ in 0..<200 where count <= 0 {
            count = echoed.withUnsafeMutableBytes { read(pty.master, $0.baseAddress, $0.count) }
            if count <= 0 { try await Task.sleep(for: .milliseconds(5)) }
        }
        #expect(Array(echoed.prefix(max(0, count))) == [0xC0, 0x7D, 0xC1])
        let sent: [UInt8] = [0x02, 0x30, 0x30, 0x53, 0x03]
        #expect(sent.withUnsafeBytes { write(pty.master, $0.baseAddress, $0.count) } == sent.count)
        var iterator = link.inbound.makeAsyncIterator()
        #expect(await iterator.next() == sent)
        close(pty.master)
        #expect(await iterator.next() == nil)
        #expect(!link.isActive)
        await link.close()
    }
}
