extension DeviceIdentity {
    /// What makes a replugged device "the same one" for a chair that remembers it: the adapter's
    /// serial (with vendor and product, so two vendors' chips sharing a serial string differ), or,
    /// for adapters without a serial number, the physical port (ID_PATH). The node name is the last
    /// resort: the kernel may give a replugged adapter another ttyUSB number.
    package var adoptionKey: String {
        if let serialShort { return "serial:\(vendorID ?? "?"):\(modelID ?? "?"):\(serialShort)" }
        if let idPath { return "port:\(idPath)" }
        return "node:\(devnode)"
    }

    /// The adoption key in words, for notices and logs.
    package var adoptionDescription: String {
        if let serialShort { return "adapter \(vendorID ?? "?"):\(modelID ?? "?") serial \(serialShort)" }
        if let idPath { return "the adapter without a serial number on port \(idPath)" }
        return devnode
    }
}
