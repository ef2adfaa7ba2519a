/// Latency percentiles of one measurement, in microseconds (nearest-rank on the sorted samples).
struct Percentiles: Codable {
    var samples: Int
    var p50: Double
    var p99: Double
    var p999: Double
    var max: Double

    init(_ values: [Double]) {
        let sorted = values.sorted()
        func at(_ fraction: Double) -> Double {
            guard !sorted.isEmpty else { return .nan }
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.down)))]
        }
        samples = sorted.count
        p50 = at(0.5)
        p99 = at(0.99)
        p999 = at(0.999)
        max = sorted.last ?? .nan
    }
}
