import Foundation
import Testing

/// nesp-lib, the public Python New Era library nobody here wrote, drives the NE simulator through
/// its pty: it must accept every reply (it is strict about framing and number formats) and read
/// back what it set.
@Suite struct PumpNespLibPeerTests {
    @Test func nespLibDrivesTheSimulator() throws {
        let root = PumpProcessSupport.packageRoot
        let python = root.appendingPathComponent(".venv-peers/bin/python")
        let script = root.appendingPathComponent("scripts/peers/nesp_drive.py")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            Issue.record(
                """
                \(python.path) is missing: create it with `python3 -m venv .venv-peers && \
                .venv-peers/bin/pip install pyserial nesp-lib` (scripts/test does this).
                """
            )
            return
        }
        let directory = try PumpProcessSupport.scratchDirectory()
        let link = directory + "/ttyPUMP"
        let simulator = try SimulatorProcess(arguments: ["--protocol", "newera"], linkPath: link)

        // Output goes to files, not pipes: a pipe's write end inherited by any process spawned
        // concurrently by another test would keep a read-to-end waiting for that process.
        let outputPath = directory + "/nesp.json"
        let errorPath = directory + "/nesp.err"
        try #require(FileManager.default.createFile(atPath: outputPath, contents: nil))
        try #require(FileManager.default.createFile(atPath: errorPath, contents: nil))
        let client = Process()
        client.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        client.arguments = ["20", python.path, script.path, link, "0.5"]
        client.standardOutput = FileHandle(forWritingAtPath: outputPath)
        client.standardError = FileHandle(forWritingAtPath: errorPath)
        try client.run()
        client.waitUntilExit()
        let printed = FileManager.default.contents(atPath: outputPath) ?? Data()
        let complaints = String(decoding: FileManager.default.contents(atPath: errorPath) ?? Data(), as: UTF8.self)
        try #require(client.terminationStatus == 0, "nesp-lib failed (124 = hung past 20 s): \(complaints)")

        let result = try #require(try JSONSerialization.jsonObject(with: printed) as? [String: Any])
        #expect(result["model"] as? Int == 1000)
        #expect(result["firmware"] as? [Int] == [3, 928])
        #expect(result["diameter_mm"] as? Double == 26.59)
        #expect(result["direction"] as? String == "INFUSE")
        #expect(result["volume_ml"] as? Double == 10.0)
        #expect(result["rate_ml_per_min"] as? Double == 2.5)
        #expect(result["running_after_run"] as? Bool == true)
        #expect(result["status_after_stop"] as? String == "PAUSED")
        #expect(result["safe_mode_timeout_s"] as? Int == 10)
        #expect(result["status_after_safe_mode"] as? String == "PAUSED")
        // What nesp-lib read with DIS is what the simulator delivered (3 decimals in mL).
        let infused = try #require(result["infused_ml"] as? Double)
        let state = try simulator.control("state")
        let delivered = try #require(
            state.split(separator: " ").first { $0.hasPrefix("infused_ml=") }.flatMap { Double($0.dropFirst(11)) }
        )
        #expect(infused > 0)
        #expect(abs(infused - delivered) <= 0.0005 + 1e-9, "nesp-lib read \(infused) mL, simulator delivered \(delivered) mL")
    }
}
