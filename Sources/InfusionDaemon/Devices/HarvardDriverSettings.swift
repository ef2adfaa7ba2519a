/// How a Harvard Pump 11 Elite / PHD ULTRA driver talks to its pump. Protocol timing, not
/// clinical numbers; each default names its source.
package struct HarvardDriverSettings: PumpDialectSettings, Hashable {
    /// The pump's chain address, 0–99 (docs/DEVICE-BASIS.md §3 "Addressing"); 0 sends bare commands.
    package var address: UInt8
    /// Syringe inside diameter, mm, programmed when the pump is idle at open. Default: BD 60 mL,
    /// 26.59 mm (docs/DEVICE-BASIS.md §1 syringe table); configure the syringe the clinic loads.
    package var syringeDiameterMillimetres: Double
    /// How long to wait for each reply before the one retry. Default 1 s, as for the NE-1000
    /// driver (docs/DEVICE-BASIS.md §1 "Timing"; docs/CLINICAL-BASIS.md row 30: one retry).
    package var replyTimeout: Duration
    /// The largest relative difference allowed between a requested rate and the nearest number the
    /// pump can be sent (four decimals, `HarvardNumber`).
    package var rateRepresentationTolerance: Double

    package init(
        address: UInt8 = 0,
        syringeDiameterMillimetres: Double = 26.59,
        replyTimeout: Duration = .seconds(1),
        rateRepresentationTolerance: Double = 0.001
    ) {
        self.address = address
        self.syringeDiameterMillimetres = syringeDiameterMillimetres
        self.replyTimeout = replyTimeout
        self.rateRepresentationTolerance = rateRepresentationTolerance
    }
}
