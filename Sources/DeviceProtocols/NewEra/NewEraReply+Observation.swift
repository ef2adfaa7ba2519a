public import InfusionCore

extension NewEraReply {
    /// A domain read-back assembled from the replies a driver collected in one poll: the status
    /// from `reply` (any reply carries it), and optionally the `RAT` and `DIS` replies.
    /// Payloads that do not parse leave the corresponding field nil rather than guessing.
    public static func observation(
        status reply: NewEraReply,
        rate rateReply: NewEraReply? = nil,
        dispensed dispensedReply: NewEraReply? = nil,
        at time: MonotonicInstant
    ) -> PumpObservation {
        let rate = rateReply?.payload.flatMap(NewEraReplyValues.rate)
        let dispensed = dispensedReply?.payload.flatMap(NewEraReplyValues.dispensed)
        return PumpObservation(
            state: reply.status.runState,
            rateMillilitresPerHour: rate.map { $0.value * $0.units.millilitresPerHour },
            infusedMillilitres: dispensed?.infusedMillilitres,
            alarms: reply.alarm.map { [$0.pumpAlarm] } ?? [],
            time: time
        )
    }
}
