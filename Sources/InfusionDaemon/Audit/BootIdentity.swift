internal import Foundation

/// The kernel's identifier of this boot: `CLOCK_MONOTONIC` readings compare only within one boot.
package enum BootIdentity {
    /// `/proc/sys/kernel/random/boot_id`, or "unknown" where it cannot be read (then every restart is
    /// treated as a reboot and the outage is measured by the wall clock).
    package static var current: String {
        let text = (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)) ?? ""
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? "unknown" : trimmed
    }
}
