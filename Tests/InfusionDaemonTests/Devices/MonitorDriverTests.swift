import DeviceProtocols
import DeviceSimulators
import InfusionCore
import Synchronization
import Testing

@testable import InfusionDaemon

@Suite("Monitor drivers against their simulators over ptys")
struct MonitorDriverTests {
    @Test("vitals stream after the link comes up, stamped with the receive clock", arguments: MonitorUnderTest.allCases)
    func streamsVitals(monitor: MonitorUnderTest) async throws {
        let before = monotonicNow()
        let rig = try await MonitorRig.start(monitor)
        #expect(await rig.recorder.wait { $0.vitals.filter { $0.parameter == .spo2 }.count >= 2 })
        let after = monotonicNow()
        #expect(rig.recorder.all.first == .link(isUp: true))
        let spo2 = rig.recorder.vitals.filter { $0.parameter == .spo2 }
        for reading in spo2 {
            #expect(reading.trustworthyValue.map { (80...100).contains($0) } == true)
            #expect(reading.time >= before && reading.time <= after)
        }
        #expect(rig.recorder.vitals.contains { $0.parameter == .pulseRate && $0.trustworthyValue != nil })
        await rig.finish()
    }

    @Test("sensor off arrives as flags on readings without a usable value", arguments: MonitorUnderTest.allCases)
    func sensorOff(monitor: MonitorUnderTest) async throws {
        let rig = try await MonitorRig.start(monitor)
        #expect(await rig.nextReading() != nil)
        rig.host.control("fault sensor-off on")
        // Waits past what was already on the wire (or queued by a busy machine) when the switch flipped.
        rig.recorder.clear()
        #expect(await rig.recorder.wait { $0.vitals.contains { $0.parameter == .spo2 && $0.flags.contains(.invalid) } })
        let reading = try #require(rig.recorder.vitals.first { $0.parameter == .spo2 && $0.flags.contains(.invalid) })
        #expect(reading.trustworthyValue == nil)
        if monitor != .intelliVue {
            // IntelliVue only marks the numeric invalid; the oximeters name the cause.
            #expect(reading.flags.contains(.sensorOff))
        }
        await rig.finish()
    }

    @Test("motion artefact arrives as a flag", arguments: MonitorUnderTest.allCases)
    func motionArtefact(monitor: MonitorUnderTest) async throws {
        let rig = try await MonitorRig.start(monitor)
        #expect(await rig.nextReading() != nil)
        rig.host.control("fault motion on")
        rig.recorder.clear()
        // Nonin has an artefact bit; Masimo reports low signal IQ and IntelliVue "questionable".
        let expected: VitalSignFlags = monitor.family == .nonin ? .artefact : .lowSignalQuality
        #expect(await rig.recorder.wait { $0.vitals.contains { $0.parameter == .spo2 && $0.flags.contains(expected) } })
        rig.host.control("fault motion off")
        rig.recorder.clear()
        #expect(await rig.recorder.wait {
            $0.vitals.contains { $0.parameter == .spo2 && $0.trustworthyValue != nil && !$0.flags.contains(expected) }
        })
        await rig.finish()
    }

    @Test("low perfusion arrives as a flag and clears when the fault ends", arguments: MonitorUnderTest.allCases)
    func lowPerfusion(monitor: MonitorUnderTest) async throws {
        let rig = try await MonitorRig.start(monitor)
        #expect(await rig.nextReading() != nil)
        rig.host.control("fault low-perfusion on")
        try await Task.sleep(for: .milliseconds(400))
        rig.recorder.clear()
        // The oximeters name low perfusion; IntelliVue marks SpO2 questionable and shows the low index.
        let expected: VitalSignFlags = monitor == .intelliVue ? .lowSignalQuality : .lowPerfusion
        #expect(await rig.recorder.wait { $0.vitals.contains { $0.parameter == .spo2 && $0.flags.contains(expected) } })
        if monitor == .intelliVue {
            #expect(await rig.recorder.wait { $0.vitals.contains { $0.parameter == .perfusionIndex && $0.value == 0.2 } })
        }
        rig.host.control("fault low-perfusion off")
        rig.recorder.clear()
        #expect(await rig.recorder.wait {
            $0.vitals.contains { $0.parameter == .spo2 && $0.trustworthyValue != nil && !$0.flags.contains(expected) }
        })
        await rig.finish()
    }

    @Test("a silent monitor produces no readings: the driver invents none", arguments: MonitorUnderTest.allCases)
    func noFrames(monitor: MonitorUnderTest) async throws {
        let rig = try await MonitorRig.start(monitor)
        #expect(await rig.nextReading() != nil)
        rig.host.control("fault no-frames on")
        try await Task.sleep(for: .milliseconds(400))
        rig.recorder.clear()
        try await Task.sleep(for: .milliseconds(600))
        #expect(rig.recorder.vitals.isEmpty)
        #expect(!rig.recorder.links.contains(false))
        rig.host.control("fault no-frames off")
        #expect(await rig.nextReading() != nil)
        await rig.finish()
    }

    @Test("line garbage never crashes the driver and readings resume once it stops", arguments: MonitorUnderTest.allCases)
    func garbage(monitor: MonitorUnderTest) async throws {
        let rig = try await MonitorRig.start(monitor)
        #expect(await rig.nextReading() != nil)
        rig.host.control("fault garbage on")
        try await Task.sleep(for: .milliseconds(300))
        rig.recorder.clear()
        try await Task.sleep(for: .milliseconds(600))
        // Checksums and line syntax keep noise out; Data Format 8, which has no checksum, by believing
        // only a record that comes alone (NoninMonitor, docs/DEVICE-BASIS.md §5).
        #expect(rig.recorder.vitals.allSatisfy { $0.value.map { (0...300).contains($0) } ?? true })
        rig.host.control("fault garbage off")
        try await Task.sleep(for: .milliseconds(300))
        rig.recorder.clear()
        #expect(await rig.recorder.wait { $0.vitals.filter { $0.parameter == .spo2 && $0.trustworthyValue != nil }.count >= 2 })
        #expect(!rig.recorder.links.contains(false))
        await rig.finish()
    }

    @Test("unplugging reports the link down and the driver lives on until closed", arguments: MonitorUnderTest.allCases)
    func disconnect(monitor: MonitorUnderTest) async throws {
        let rig = try await MonitorRig.start(monitor)
        #expect(await rig.recorder.wait { $0.links == [true] })
        rig.host.disconnect()
        #expect(await rig.recorder.wait { $0.links == [true, false] })
        // The driver keeps trying to reopen the path: waiting for it ends only with close().
        let waiter = Task { await rig.driver.waitUntilClosed() }
        let closed = Mutex(false)
        let watcher = Task {
            await waiter.value
            closed.withLock { $0 = true }
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(!closed.withLock { $0 })
        await rig.driver.close()
        await watcher.value
        #expect(closed.withLock { $0 })
        await rig.host.shutdown()
    }

    @Test("asking for a cuff measurement says plainly that the protocol cannot", arguments: MonitorUnderTest.allCases)
    func bloodPressureStart(monitor: MonitorUnderTest) async throws {
        let rig = try await MonitorRig.start(monitor)
        #expect(await rig.recorder.wait { $0.links == [true] })
        let refusal = await #expect(throws: MonitorCommandRefusal.self) { try await rig.driver.startBloodPressureMeasurement() }
        #expect(refusal?.code == .notSupportedByProtocol)
        let family = monitor == .intelliVue ? "IntelliVue Data Export" : monitor.family == .nonin ? "Nonin" : "Masimo"
        #expect(refusal?.reason.contains(family) == true, "\(String(describing: refusal))")
        // Refusing is not a fault: readings keep coming.
        #expect(await rig.nextReading() != nil)
        await rig.finish()
    }

    @Test("readings carry the injected clock's time, not the device's")
    func injectedClock() async throws {
        let host = try MonitorUnderTest.masimo.makeHost()
        var settings = MonitorUnderTest.masimo.driverSettings()
        let fixed = MonotonicInstant.seconds(4_321)
        settings.clock = { fixed }
        let recorder = EventRecorder()
        let driver = try await DeviceDriverFactory.makeMonitorDriver(
            family: .masimo, path: host.devicePath, settings: settings, sink: recorder.sink)
        #expect(await recorder.wait { !$0.vitals.isEmpty })
        #expect(recorder.vitals.allSatisfy { $0.time == fixed })
        await driver.close()
        await host.shutdown()
    }
}
