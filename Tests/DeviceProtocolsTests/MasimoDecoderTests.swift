import DeviceProtocols
import InfusionCore
import PropertyBased
import Testing
import TestSupport

@Suite("Masimo stream decoding")
struct MasimoDecoderTests {
    private let sample = Array(
        "02/22/16 22:47:45 SN=0000056661 SPO2=098% BPM=097 PI=03.60% SPCO=--.-% SPMET=--.-% DESAT=-- PIDELTA=+-- ALARM=0000 EXC=000800\r\n"
            .utf8)

    @Test("any split of two lines yields the same two reports")
    func anySplit() {
        let stream = sample + sample
        for cut in 0...stream.count {
            var monitor = MasimoMonitor()
            let reports = monitor.receive(stream[..<cut], at: .zero) + monitor.receive(stream[cut...], at: .zero)
            #expect(reports.count == 2)
            #expect(reports.allSatisfy { $0.vital(.spo2)?.trustworthyValue == 98 })
        }
    }

    @Test("lines among noise decode the same whole, byte by byte and in random pieces")
    func dripFed() {
        var random = Xoshiro(seed: (0x4D41, 0x44, 0x52, 0x50))
        for _ in 0..<500 {
            let noise = (0..<Int.random(in: 0..<40, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            let each = DripFeed.decodeEachWay(noise + sample + noise + sample, with: { MasimoLineDecoder() }, using: &random)
            #expect(each.byteByByte == each.whole && each.inPieces == each.whole)
        }
    }

    @Test("blank lines from CR-to-LF translation are skipped, not rejected")
    func blankLines() {
        var monitor = MasimoMonitor()
        let translated = sample.map { $0 == 0x0D ? 0x0A : $0 }
        let reports = monitor.receive(translated, at: .zero)
        #expect(reports.count == 1)
        #expect(monitor.rejectedLineCount == 0)
    }

    @Test("garbage before a line costs at most that line; the next one parses")
    func resynchronises() {
        var random = Xoshiro(seed: (1, 2, 3, 4))
        let garbage = (0..<700).map { _ in UInt8.random(in: 0...255, using: &random) }.filter { $0 != 0x0A }
        var monitor = MasimoMonitor(maximumLineLength: 512)
        let reports = monitor.receive(garbage + sample + sample, at: .seconds(1))
        #expect(reports.count >= 1)
        #expect(reports.last?.vital(.pulseRate)?.trustworthyValue == 97)
        #expect(monitor.discardedByteCount > 0)
    }

    @Test("100,000 random and truncated inputs never crash the decoder and never report nonsense")
    func fuzz() async {
        var random = Xoshiro(seed: (0x4D41, 0x5349, 0x4D4F, 1))
        var monitor = MasimoMonitor(maximumLineLength: 256)
        var fed = 0
        for iteration in 0..<100_000 {
            // Give the shared test thread pool back now and then: the drivers and simulators on ptys
            // in other suites run on it in real time.
            if iteration.isMultiple(of: 500) { await Task.yield() }
            var input: [UInt8]
            if iteration.isMultiple(of: 2) {
                input = (0..<Int.random(in: 0...40, using: &random)).map { _ in
                    UInt8.random(in: 0...255, using: &random)
                }
            } else {
                input = Array(sample.prefix(Int.random(in: 0...sample.count, using: &random)))
                if !input.isEmpty, Bool.random(using: &random) {
                    input[Int.random(in: 0..<input.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
                }
            }
            fed += input.count
            for report in monitor.receive(input, at: .zero) {
                for vital in report.vitals {
                    #expect(vital.value.map { $0.isFinite && abs($0) < 1e9 } ?? true)
                }
            }
        }
        #expect(monitor.discardedByteCount <= fed)
    }
}
