import DeviceProtocols
import InfusionCore

extension IntelliVueSimulator {
    /// Object handles of the simulated numerics, one per measured parameter.
    enum Handle {
        static let spo2: UInt16 = 0x0010
        static let pulse: UInt16 = 0x0011
        static let heartRate: UInt16 = 0x0012
        static let perfusion: UInt16 = 0x0013
        static let bloodPressure: UInt16 = 0x0014
    }

    /// The numerics the monitor shows at `time`, with the fault switches applied.
    mutating func observations(at time: MonotonicInstant) -> [IntelliVueObservation] {
        let vitals = state.feed.measure(at: time)
        if time >= nextBloodPressure || bloodPressureReading == nil {
            bloodPressureReading = vitals
            bloodPressureTakenAt = time
            nextBloodPressure = time + settings.bloodPressureInterval
        }
        // Continuous numerics are measured now; the cuff reading keeps the time it was taken.
        let now = relativeTime(time)
        let faults = state.faults
        var oximeterState: IntelliVueMeasurementState = []
        if faults.contains(.motionArtefact) || faults.contains(.lowPerfusion) { oximeterState.insert(.questionable) }
        if faults.contains(.sensorOff) { oximeterState = .invalid }
        let probeOff = faults.contains(.sensorOff)
        let perfusion = faults.contains(.lowPerfusion) ? settings.lowPerfusionIndex : vitals.perfusionIndex

        func numeric(_ identifier: UInt16, _ unit: UInt16, _ value: Double?, _ measurement: IntelliVueMeasurementState = [])
            -> IntelliVueNumeric
        {
            IntelliVueNumeric(physiologicalIdentifier: identifier, state: measurement, unitCode: unit, value: IntelliVueFloat(value))
        }
        let pressure = bloodPressureReading ?? vitals
        return [
            IntelliVueObservation(handle: Handle.spo2, numerics: [
                numeric(IntelliVueNomenclature.spo2, IntelliVueNomenclature.percent, probeOff ? nil : vitals.spo2.rounded(), oximeterState)
            ], relativeTimeStamp: now),
            IntelliVueObservation(handle: Handle.pulse, numerics: [
                numeric(IntelliVueNomenclature.plethPulseRate, IntelliVueNomenclature.pulsesPerMinute,
                    probeOff ? nil : state.plethRate(vitals).rounded(), oximeterState)
            ], relativeTimeStamp: now),
            IntelliVueObservation(handle: Handle.heartRate, numerics: [
                numeric(IntelliVueNomenclature.ecgHeartRate, IntelliVueNomenclature.beatsPerMinute, state.ecgRate(vitals).rounded())
            ], relativeTimeStamp: now),
            IntelliVueObservation(handle: Handle.perfusion, numerics: [
                numeric(IntelliVueNomenclature.perfusionIndex, IntelliVueNomenclature.dimensionless,
                    probeOff ? nil : (perfusion * 100).rounded() / 100, oximeterState)
            ], relativeTimeStamp: now),
            IntelliVueObservation(
                handle: Handle.bloodPressure,
                numerics: [
                    numeric(IntelliVueNomenclature.nibpSystolic, IntelliVueNomenclature.millimetresOfMercury, pressure.systolic.rounded()),
                    numeric(IntelliVueNomenclature.nibpDiastolic, IntelliVueNomenclature.millimetresOfMercury, pressure.diastolic.rounded()),
                    numeric(IntelliVueNomenclature.nibpMean, IntelliVueNomenclature.millimetresOfMercury, pressure.mean.rounded()),
                ], isCompound: true, relativeTimeStamp: relativeTime(bloodPressureTakenAt)),
        ]
    }
}
