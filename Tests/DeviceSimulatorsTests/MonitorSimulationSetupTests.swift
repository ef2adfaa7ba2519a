import DeviceProtocols
import DeviceSimulators
import InfusionCore
import Testing

@Suite("Monitor simulation setup")
struct MonitorSimulationSetupTests {
    @Test("the preset, script and time scale reach the patient; the device cadence stays real")
    func setupReachesPatient() throws {
        let script = try ConcentrationScript(parsing: "0 0\n40 240\n100 40\n")
        let setup = MonitorSimulationSetup(preset: .hypertensive, concentration: script, timeScale: 60, seed: 9)
        var simulator = MasimoSimulator(state: setup.simulation())
        var monitor = MasimoMonitor()
        var reports: [MonitorReport] = []
        for second in 0...45 {
            let time = MonotonicInstant.seconds(Double(second))
            reports += monitor.receive(simulator.advance(to: time), at: time)
        }
        // One line per real second although 45 patient minutes passed.
        #expect(reports.count == 46)
        var feed = simulator.state.feed
        let vitals = feed.expectedVitals(at: .seconds(45))
        #expect(feed.patient.parameters == .hypertensiveResponder)
        #expect(abs(feed.patient.plasmaConcentration - (240 - 200.0 / 60 * 5)) < 0.5)
        #expect(vitals.systolic > 175)
    }

    @Test("without a script the patient is drug-free at baseline")
    func drugFree() {
        var feed = MonitorSimulationSetup().simulation().feed
        #expect(feed.expectedVitals(at: .seconds(3600)).systolic == PatientParameters.typical.baselineSystolic)
    }
}
