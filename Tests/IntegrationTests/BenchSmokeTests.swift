import Foundation
import Testing

/// `infusion-bench` (debug build, tiny settings) runs end to end against the real infusiond and
/// writes every metric issues 9 and 21 ask for (gpsd from scripts/setup beside it); the numbers
/// themselves belong to scripts/bench.
@Suite("Benchmark smoke run", .serialized) struct BenchSmokeTests {
    @Test func aTinyRunWritesEveryMetric() throws {
        let scratch = try ScratchDirectory()
        let json = scratch.file("bench.json")
        let outcome = try Shell.run(
            "'\(BuiltProducts.path("infusion-bench"))' --quick --chairs 2 --watchers 4 --tick-seconds 1"
                + " --load-seconds 1 --samples 5 --gpsd-seconds 1 --no-lock-memory --no-realtime --json '\(json)'",
            timeout: 240)
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
        for key in [
            "commandToWireMicroseconds", "vitalsToPauseMicroseconds", "loadedCommandToWireMicroseconds",
            "loadedCommandToReplyMicroseconds", "loadedVitalsToPauseMicroseconds",
        ] {
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
        let beside = try #require(report["fanOutBesideGpsd"] as? [[String: Any]])
        #expect(beside.compactMap { $0["watchers"] as? Int } == [1, 10, 60])
        for comparison in beside {
            let watchers = comparison["watchers"] as? Int ?? 0
            for daemon in ["infusiond", "gpsd"] {
                let side = try #require(comparison[daemon] as? [String: Any], "\(daemon) at \(watchers)")
                let reports = side["reports"] as? Int ?? 0
                let receipts = side["receipts"] as? Int ?? 0
                #expect(reports == 10, "1 s of reports at 10 Hz")
                #expect(receipts > 0 && receipts <= reports * watchers, "\(daemon) at \(watchers): \(receipts) receipts")
                #expect((side["cpuMillisecondsPerReport"] as? Double ?? 0) > 0, "\(daemon) at \(watchers) used CPU")
            }
        }
        let goals = try #require(report["goals"] as? [[String: Any]])
        #expect(goals.count == 15, "one verdict per goal of issue 9, the safety goals quiet and loaded, one per gpsd comparison")
    }
}
