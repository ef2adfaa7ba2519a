import DeviceProtocols
import Foundation
@testable import InfusionDaemon
import Testing

/// Issue 16 item 1: one record per device family in one registry, and per-device settings checked
/// against the family at load and handed to its driver.
@Suite struct DeviceFamilyRecordTests {
    private func decode(_ json: String) throws -> DaemonConfiguration {
        try JSONDecoder().decode(DaemonConfiguration.self, from: Data(json.utf8))
    }

    @Test func everyFamilyHasExactlyOneRecordOfItsKind() {
        for family in DeviceFamily.allCases {
            #expect(DeviceFamilyRecord.all.filter { $0.family == family }.count == 1, "\(family)")
            let record = DeviceFamilyRecord.record(for: family)
            switch record.driver {
            case .pump: #expect(family.isPump)
            case .monitor: #expect(!family.isPump)
            }
            #expect(family.baudRates.contains(record.line.baudRate), "the factory rate is one of the family's")
            // DeviceProtocols names the settings as strings; each must be a setting the daemon knows.
            #expect(family.deviceSettings.allSatisfy { DeviceSettings.Field(rawValue: $0) != nil }, "\(family)")
        }
        #expect(SerialLineSettings.factoryDefault(for: .newEra).baudRate == 19_200)
        #expect(DeviceDriverFactory.pumpSideStopDelay(family: .harvard) == nil, "no safe mode")
        #expect(DeviceDriverFactory.pumpSideStopDelay(family: .masimo) == nil)
    }

    @Test func perDeviceSettingsReachTheDriverSettings() throws {
        let config = try decode(#"""
            {"chairs":[{"id":"1","pump":{"family":"newera","path":"/dev/p","settings":{"address":7,"baudRate":9600,"safeModeTimeoutSeconds":3}},
              "monitor":{"family":"nonin","path":"/dev/m","settings":{"noninFormat":"df8","reopenSeconds":0.5}}}]}
            """#)
        let pump = try #require(config.chairs.first?.pump?.settings).applied(to: PumpDriverSettings())
        #expect(pump.newEra.address == 7 && pump.line?.baudRate == 9_600)
        #expect(DeviceDriverFactory.pumpSideStopDelay(family: .newEra, settings: pump) == .seconds(3))
        let monitor = try #require(config.chairs.first?.monitor?.settings).applied(to: MonitorDriverSettings())
        #expect(monitor.noninFormat == .format8 && monitor.reopenInterval == .milliseconds(500))
    }

    @Test(arguments: [
        (#"{"family":"harvard","path":"/p","settings":{"safeModeTimeoutSeconds":5}}"#, "not a setting of harvard"),
        (#"{"family":"newera","path":"/p","settings":{"address":120}}"#, "0-99"),
        (#"{"family":"newera","path":"/p","settings":{"baudRate":4800}}"#, "19200 baud"),
        (#"{"family":"newera","path":"/p","settings":{"safeModeTimeoutSeconds":0}}"#, "1-255"),
        (#"{"family":"nonin","path":"/p","settings":{"noninFormat":"df9"}}"#, "df2 or df8"),
        (#"{"family":"masimo","path":"/p","settings":{"address":1}}"#, "not a setting of masimo"),
    ])
    func settingsAFamilyCannotTakeAreRefusedAtLoad(binding: String, problem: String) {
        let json = #"{"chairs":[{"id":"1","pump":"# + binding + "}]}"
        #expect {
            try decode(json)
        } throws: { error in
            "\(error)".contains(problem)
        }
    }
}
