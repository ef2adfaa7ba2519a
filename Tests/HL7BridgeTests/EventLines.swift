/// infusiond event lines as the daemon writes them (shortened from a live session with the simulators).
enum EventLines {
    static let times = (intake: "2026-12-07T10:00:00.000Z", program: "2026-12-07T10:00:01.000Z")

    static func vital(_ seq: Int, _ parameter: String, _ value: Double, at time: String, flags: String = "") -> String {
        #"{"event":"vital","topic":"vitals","seq":\#(seq),"data":{"chair":"1","detail":{"flags":[\#(flags)],"parameter":"\#(parameter)","time":"\#(time)","value":\#(value)}}}"#
    }

    static func session(_ seq: Int, from: String, to: String, reason: String, at time: String, programmed: Bool = true)
        -> String
    {
        let outline =
            programmed
            ? #"{"concentration":10,"doseRateUnit":"mg/kg/h","drugName":"ketamine","enteredWeight":70,"predictedConcentrationLimits":{"hardMaximum":500,"softMaximum":300},"profileID":"ketamine-psychiatric","programmedDose":35,"weight":70,"weightUnit":"kg"}"#
            : #"{"doseRateUnit":"mg/kg/h","drugName":"ketamine","enteredWeight":70,"predictedConcentrationLimits":{"hardMaximum":500,"softMaximum":300},"profileID":"ketamine-psychiatric","weight":70,"weightUnit":"kg"}"#
        return #"{"event":"session.state","topic":"session","seq":\#(seq),"data":{"chair":"1","detail":{"from":"\#(from)","reason":"\#(reason)","session":\#(outline),"time":"\#(time)","to":"\#(to)"}}}"#
    }

    static func setRate(_ seq: Int, _ flow: Double) -> String {
        #"{"event":"pump.command","topic":"pump","seq":\#(seq),"data":{"chair":"1","detail":{"command":"set-rate","rateMillilitresPerHour":\#(flow)}}}"#
    }

    static func delivery(_ seq: Int, flow: Double, dose: Double, at time: String) -> String {
        #"{"event":"pump.delivery","topic":"pump","seq":\#(seq),"data":{"chair":"1","detail":{"commandedDose":\#(dose),"deliveredDose":\#(dose),"doseRate":{"unit":"mg/kg/h","value":0.75},"flow":\#(flow),"predictedConcentration":1.2,"reportedDose":\#(dose),"syringeRemainingMillilitres":49,"time":"\#(time)"}}}"#
    }

    /// `pump.delivery-certainty`: uncertain for `reason`, certain again without one.
    static func certainty(_ seq: Int, reason: String?, at time: String) -> String {
        let detail = reason.map { #""reason":"\#($0)","since":"\#(time)","# } ?? ""
        return #"{"event":"pump.delivery-certainty","topic":"pump","seq":\#(seq),"data":{"chair":"1","detail":{\#(detail)"time":"\#(time)"}}}"#
    }

    static func alarm(_ seq: Int, _ transition: String, condition: String = "pumpOcclusion", category: String = "technical",
        priority: String = "high", at time: String) -> String
    {
        #"{"event":"alarm.\#(transition)","topic":"alarms","seq":\#(seq),"data":{"chair":"1","detail":{"category":"\#(category)","condition":"\#(condition)","isAudible":true,"priority":"\#(priority)","time":"\#(time)","transition":"\#(transition)"}}}"#
    }

    /// `observation`: the nurse's scores.
    static func observation(_ seq: Int, _ scores: [(String, Int)], at time: String) -> String {
        let list = scores.map { #"{"scale":"\#($0.0)","value":\#($0.1)}"# }.joined(separator: ",")
        return #"{"event":"observation","topic":"session","seq":\#(seq),"data":{"chair":"1","detail":{"operatorID":"uid:1001","scores":[\#(list)],"time":"\#(time)"}}}"#
    }

    /// `device.up` for chair 1's `role`, with a serial number when given (a USB adapter's, from udev).
    static func deviceUp(_ seq: Int, role: String, serial: String?) -> String {
        let identity = serial.map { #""model":"NE-1000","serial":"\#($0)","vendor":"New Era","# } ?? ""
        return #"{"event":"device.up","topic":"devices","seq":\#(seq),"data":{"chair":"1","driver":"newera",\#(identity)"link":"up","path":"/dev/ttyUSB0","role":"\#(role)"}}"#
    }
}
