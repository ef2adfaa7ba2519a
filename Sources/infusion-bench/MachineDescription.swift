import Foundation
import Glibc

/// What limits the numbers: cores, kernel, whether it is real-time, virtualised, and how busy.
struct MachineDescription: Codable {
    var cores: Int
    var kernel: String
    var preemptRT: Bool
    var virtualMachine: Bool
    var loadAverageAtStart: Double

    static func current() -> MachineDescription {
        var name = utsname()
        uname(&name)
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        let version = text(name.version)
        let realtimeFlag = (try? String(contentsOfFile: "/sys/kernel/realtime", encoding: .utf8))?.hasPrefix("1") ?? false
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first
        return MachineDescription(
            cores: ProcessInfo.processInfo.activeProcessorCount, kernel: text(name.release),
            preemptRT: realtimeFlag || version.contains("PREEMPT_RT"),
            virtualMachine: cpuinfo.contains(" hypervisor"), loadAverageAtStart: load.flatMap { Double($0) } ?? .nan)
    }
}
