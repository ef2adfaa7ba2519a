public import DeviceProtocols

/// The simulators `infusion-sim` can run, one per device family.
public enum SimulatorCatalogue {
    /// Families with a simulator today.
    public static let families: [DeviceFamily] = []
}
