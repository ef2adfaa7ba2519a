import Foundation
import Testing

/// `infusion-bench` (debug build, tiny settings) runs end to end against the real infusiond and
/// writes every metric issue 9 asks for; the numbers themselves belong to scripts/bench.
@Suite("Benchmark smoke run", .serialized) struct BenchSmokeTests {
    @Test func aTinyRunWritesEveryMetric() throws {
        let scratch = try ScratchDirectory()
        let json = scratch.file("bench.json")
        let outcome = try Shell.run(
            "'\(BuiltProducts.path("infusion-bench"))' --quick --chairs 2 --watchers 4 --tick-seconds 1"
                + " --load-seconds 1 --samples 5 --no-lock-memory --no-realtime --json '\(json)'",
            timeout: 120)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: json))
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])

        let tick = try #require(report["controlTick"] as? [String: Any])
        let wakeUp = try #require(tick["wakeUpMicroseconds"] as? [String: Any])
        #expect(Set(wakeUp.keys) == ["samples", "p50", "p99", "p999", "max"])
        #expect((wakeUp["samples"] as? Int ?? 0) > 0)
        #expect(tick["cyclictestMicroseconds"] is [String: Any], "cyclictest ran beside the loop")
        #expect(report["allocationsPerIdleTick"] is NSNumber && report["allocationsPerInfusingTick"] is NSNumber)

        let startup = try #require(report["startToReadyMilliseconds"] as? [String: Any])
        #expect((startup["runs"] as? [Double])?.count == 3, "--quick starts the daemon three times")
        for key in ["commandToWireMicroseconds", "vitalsToPauseMicroseconds"] {
            #expect((report[key] as? [String: Any])?["samples"] as? Int == 5, "\(key)")
        }
        let fanOut = try #require(report["fanOut"] as? [[String: Any]])
        #expect(fanOut.compactMap { $0["watchers"] as? Int } == [1, 4], "1, 10, 100 and all, capped at --watchers")

        let steady = try #require(report["steadyState"] as? [String: Any])
        #expect(steady["chairsInfusing"] as? Int == 2)
        #expect(steady["watchers"] as? Int == 4)
        for key in ["cpuPercentOfOneCore", "rssMiB", "highWaterRSSMiB"] {
            #expect(steady[key] is NSNumber, "\(key)")
        }
        #expect((steady["ticks"] as? Int ?? 0) > 0, "status reports controlTicks")
        #expect((steady["missedTicksSinceStart"] as? Int ?? -1) >= 0, "status reports missedTicks")
        let goals = try #require(report["goals"] as? [[String: Any]])
        #expect(goals.count == 8, "one verdict per goal of issue 9")
    }
}
