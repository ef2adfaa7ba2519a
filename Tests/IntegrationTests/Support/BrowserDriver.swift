import Foundation

/// A real headless Chromium, driven over the DevTools protocol by `scripts/browser-driver` (one JSON command
/// a line, one JSON answer a line): the central station's page is loaded, waited on and photographed as a
/// nurse's browser would show it.
final class BrowserDriver: @unchecked Sendable {
    private let process = Process()
    private let requests = Pipe()
    private let received = Locked(Data())

    /// `chromiumArguments` are added to Chromium's command line.
    init(chromiumArguments: [String] = []) throws {
        process.executableURL = BuiltProducts.packageRoot.appendingPathComponent("scripts/browser-driver")
        process.arguments = chromiumArguments
        process.standardInput = requests
        let answers = Pipe()
        process.standardOutput = answers
        process.standardError = FileHandle.nullDevice
        let sink = received
        answers.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            sink.mutate { $0.append(data) }
        }
        try process.run()
        let ready = try nextAnswer(timeout: 60, doing: "starting chromium")
        guard ready["ready"] as? Bool == true else { throw Failure("browser-driver did not start: \(ready)") }
    }

    /// Sends `command` and returns its answer; throws with the driver's message when it failed.
    @discardableResult
    func send(_ command: [String: Any], timeout: Double = 60) throws -> [String: Any] {
        var line = try JSONSerialization.data(withJSONObject: command)
        line.append(0x0A)
        try requests.fileHandleForWriting.write(contentsOf: line)
        let answer = try nextAnswer(timeout: timeout, doing: "\(command["cmd"] ?? "?")")
        guard answer["ok"] as? Bool == true else {
            throw Failure("browser: \(command["cmd"] ?? "?") failed: \(answer["error"] ?? answer)")
        }
        return answer
    }

    /// Loads `url` in a `width` x `height` viewport and waits for its load event.
    func open(_ url: String, width: Int = 1920, height: Int = 1080) throws {
        try send(["cmd": "open", "url": url, "width": width, "height": height])
    }

    /// The value of a JavaScript expression in the page (a promise is awaited).
    func evaluate(_ expression: String) throws -> Any? {
        try send(["cmd": "eval", "expression": expression])["value"]
    }

    /// Polls `expression` in the page until it is truthy; returns its value. Throws after `timeout` s.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 30, _ expression: String) throws -> Any? {
        do {
            return try send(["cmd": "wait", "expression": expression, "timeout": timeout], timeout: timeout + 30)["value"]
        } catch {
            throw Failure("the page did not show \(what): \(error)")
        }
    }

    /// A real mouse click (a user gesture, as the browser requires to start sound) on the element `selector`.
    func click(_ selector: String) throws {
        try send(["cmd": "click", "selector": selector])
    }

    /// Saves a PNG of the page at `width` x `height`.
    func screenshot(_ path: String, width: Int, height: Int) throws {
        try send(["cmd": "screenshot", "path": path, "width": width, "height": height])
    }

    /// Script exceptions, console errors and Content-Security-Policy reports seen so far.
    func problems() throws -> [String] {
        try send(["cmd": "problems"])["problems"] as? [String] ?? []
    }

    private func nextAnswer(timeout: Double, doing what: String) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let line: Data? = received.mutate { data in
                guard let newline = data.firstIndex(of: 0x0A) else { return nil }
                let line = data[data.startIndex..<newline]
                data.removeSubrange(data.startIndex...newline)
                return Data(line)
            }
            if let line {
                guard let answer = try JSONSerialization.jsonObject(with: line) as? [String: Any] else {
                    throw Failure("browser-driver sent \(String(decoding: line, as: UTF8.self))")
                }
                return answer
            }
            guard process.isRunning else { throw Failure("browser-driver exited while \(what)") }
            usleep(10_000)
        }
        throw Failure("browser-driver did not answer within \(timeout) s while \(what)")
    }

    /// Closes the browser; SIGKILL if it has not gone within 15 s.
    func quit() {
        guard process.isRunning else { return }
        try? requests.fileHandleForWriting.write(contentsOf: Data(#"{"cmd":"quit"}"#.utf8 + [0x0A]))
        let deadline = Date().addingTimeInterval(15)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { quit() }

    /// Where the browser tests save their screenshots for a person to look at: `.build/screenshots/` in the
    /// package (ignored by git), or `INFUSIOND_SCREENSHOTS`.
    static let screenshotDirectory: URL = {
        if let override = ProcessInfo.processInfo.environment["INFUSIOND_SCREENSHOTS"] {
            return URL(fileURLWithPath: override)
        }
        return BuiltProducts.packageRoot.appendingPathComponent(".build/screenshots")
    }()
}
