import InfusionCore
@testable import InfusionDaemon
import Testing
import WireProtocol

/// What the daemon builds for the wire, written by `WireJSONEncoder` byte for byte as the reference encoder
/// (`JSONEncoder`, sorted keys, unescaped slashes) writes it: the `library` result, whose value writes the core's
/// own `Codable` types (custom `encode(to:)`s, a dictionary written into its owner's encoder, two `encode(to:)`
/// calls filling one object), and the mappings of core and device records.
struct WireEncodingTests {
    private func expectSame<T: Encodable>(_ value: T, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let reference: [UInt8]
        do {
            reference = try LineCoding.referenceEncoded(value)
        } catch {
            Issue.record("\(label): the reference threw \(error)", sourceLocation: sourceLocation)
            return
        }
        let written = WireJSONEncoder.encodeDirectly(value)
        #expect(written != nil, "\(label): left to the reference", sourceLocation: sourceLocation)
        #expect(written == reference, "\(label)\n  written:   \(String(decoding: written ?? [], as: UTF8.self))\n  reference: \(String(decoding: reference, as: UTF8.self))",
            sourceLocation: sourceLocation)
    }

    @Test func theLibraryResultEncodesAsTheReferenceDoes() {
        let configuration = CoreConfiguration()
        let listing = LibraryListing(
            library: DrugLibrary.builtIn, observationScales: configuration.observationScales,
            asNeededMedications: configuration.asNeededMedications)
        expectSame(listing, "library")
        expectSame(LibraryListing(library: DrugLibrary(version: "", profiles: []), observationScales: [], asNeededMedications: []), "empty library")
        expectSame(configuration, "the core configuration as --print-config shows it")
    }

    @Test func mappedRecordsEncodeAsTheReferenceDoes() {
        let clock = WallClockAnchor(monotonic: .seconds(10), epochMilliseconds: 1_796_601_600_000)
        let readback = PumpObservation(
            state: .infusing, rateMillilitresPerHour: 5.25, infusedMillilitres: 1.2, alarms: [.stall, .occlusion],
            time: .seconds(10), syringeDiameterMillimetres: 26.59, rateRangeMillilitresPerHour: 0.1...100)
        expectSame(ChairEventData(chair: "1", detail: DeviceWire.readback(readback, clock: clock)), "readback")
        let failure = PumpCommandFailure(command: .setRate(MillilitresPerHour(3.5)), reason: .notConfirmed, message: "no \"valid\" reply")
        expectSame(ChairEventData(chair: "1", detail: DeviceWire.failure(failure)), "command failure")
        for flags in [VitalSignFlags(), [.lowPerfusion], [.sensorOff, .artefact, .invalid]] {
            let vital = VitalSign(parameter: .spo2, value: 97.25, time: .seconds(9.5), flags: flags)
            expectSame(ChairEventData(chair: "1", detail: DeviceWire.vital(vital, clock: clock)), "vital \(flags)")
        }
        var snapshot = ChairSnapshot(id: "1")
        snapshot.record(VitalSign(parameter: .spo2, value: 97, time: .seconds(100), flags: []))
        snapshot.record(VitalSign(parameter: .nibpSystolic, value: 131, time: .seconds(40), flags: [.artefact]))
        let status = snapshot.status(at: .seconds(110), freshness: VitalFreshness(CoreConfiguration()), clock: clock)
        expectSame(status, "chair status")
    }
}
