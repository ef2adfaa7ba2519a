package import InfusionCore

/// Where each metric sits in the IEEE 11073 containment tree (MDS.VMD.CHAN.METRIC) that IHE PCD
/// prints in OBX-4. Numbers are fixed per metric, so an address means the same thing in every
/// message; rows are printed in numeric dictionary order as the PCD TF requires.
package struct ContainmentAddress: Comparable {
    package var parts: [Int]

    package init(_ parts: Int...) { self.parts = parts }

    package var text: String { parts.map(String.init).joined(separator: ".") }

    package static func < (lhs: ContainmentAddress, rhs: ContainmentAddress) -> Bool {
        lhs.parts.lexicographicallyPrecedes(rhs.parts)
    }
}

/// A virtual medical device of the monitor, and its channel where docs/CLINICAL-BASIS.md §4.1 gives one.
package struct MonitorVMD {
    package var index: Int
    package var term: MDCCode
    package var channel: MDCCode?
}

package enum DeviceContainment {
    package static let nibp = MonitorVMD(index: 1, term: Nomenclature.nibpVMD, channel: Nomenclature.nibpChannel)
    package static let oximetry = MonitorVMD(index: 2, term: Nomenclature.oximetryVMD, channel: nil)
    package static let ecg = MonitorVMD(index: 3, term: Nomenclature.ecgVMD, channel: Nomenclature.ecgChannel)

    /// The VMD and metric number of a vital sign. Respiratory rate has none: docs/CLINICAL-BASIS.md
    /// §4.1 names no VMD for it, so PCD-01 leaves it out rather than file it under a guessed device (the JSON,
    /// CSV and FHIR exports carry it).
    package static func placement(of parameter: VitalParameter) -> (vmd: MonitorVMD, metric: Int)? {
        switch parameter {
        case .nibpSystolic: (nibp, 1)
        case .nibpDiastolic: (nibp, 2)
        case .nibpMean: (nibp, 3)
        case .spo2: (oximetry, 1)
        case .pulseRate: (oximetry, 2)
        case .perfusionIndex: (oximetry, 3)
        case .ecgHeartRate: (ecg, 1)
        case .respiratoryRate: nil
        }
    }

    /// The address of a vital-sign metric (channel 1 of its VMD).
    package static func address(of parameter: VitalParameter) -> ContainmentAddress? {
        placement(of: parameter).map { ContainmentAddress(1, $0.vmd.index, 1, $0.metric) }
    }
}
