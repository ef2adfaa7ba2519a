package import InfusionCore
package import WireProtocol

/// Reads a chair command's fields into the core's `OperatorAction`. Request types decode straight
/// from the JSON object, so a missing or mistyped field is reported with its name.
package enum ChairCommandTranslator {
    package static func action(for command: CommandName, _ request: Request) throws(WireError) -> OperatorAction {
        switch command {
        case .intake: return .intake(try decode(IntakeRequest.self, request))
        case .program:
            guard let orderID = try request.string("order") else { return .program(try decode(ProgramRequest.self, request)) }
            return .programOrder(try programOrder(orderID, request))
        case .order: return .stageOrder(try order(request))
        case .start:
            guard let override = try override(request) else { return .start }
            return .startWithOverride(override)
        case .rate:
            guard let value = try request.number("rate") else { throw .badRequest("'rate' needs a number 'rate'") }
            guard let unitName = try request.string("unit"), let unit = DoseRateUnit(rawValue: unitName) else {
                let units = DoseRateUnit.allCases.map(\.rawValue).joined(separator: ", ")
                throw .badRequest("'rate' needs 'unit', one of \(units)")
            }
            return .titrate(rate: DoseRate(value, unit), override: try override(request))
        case .bolus:
            guard let dose = try request.number("dose") else { throw .badRequest("'bolus' needs a number 'dose' (mg/kg)") }
            let seconds = try request.number("seconds")
            return .bolus(BolusRequest(dose: MilligramsPerKilogram(dose), seconds: seconds, override: try override(request)))
        case .pause: return .pause(reason: try request.string("reason") ?? "operator")
        case .resume: return .resume(override: try override(request))
        case .stop: return .stop(reason: try request.string("reason") ?? "operator")
        case .ack:
            guard let name = try request.string("condition") else { return .acknowledge(nil) }
            guard let condition = AlarmCondition(rawValue: name) else {
                throw .badRequest("unknown alarm condition '\(name)'")
            }
            return .acknowledge(condition)
        case .silence: return .silence
        case .syringe: return .changeSyringe(try decode(SyringeChangeRequest.self, request))
        case .recovery:
            guard request.fields["aldrete"] != nil else { return .recovery(aldrete: nil) }
            return .recovery(aldrete: try decode(AldreteScore.self, request, field: "aldrete"))
        case .discharge: return .discharge
        case .observe: return .observe(try decode(ObservationRequest.self, request))
        case .medicate: return .medicate(try decode(MedicationRequest.self, request))
        default: throw .unknownCommand(command.rawValue)
        }
    }

    /// `program` with `order`: the values come from the order; only the syringe and a confirmation are the nurse's.
    private static func programOrder(_ orderID: String, _ request: Request) throws(WireError) -> OrderProgramRequest {
        let fromOrder = ["concentration", "rate", "unit", "totalDose", "durationMinutes"].filter { request.fields[$0] != nil }
        guard fromOrder.isEmpty else {
            throw .badRequest("'program' with 'order' takes its values from the order; leave out \(fromOrder.joined(separator: ", "))")
        }
        return OrderProgramRequest(
            orderID: orderID, syringeVolume: try request.number("syringeVolume").map(Millilitres.init),
            syringe: try request.string("syringe"), override: try override(request))
    }

    /// `order`: every field named, so a missing one is refused with its name.
    private static func order(_ request: Request) throws(WireError) -> InfusionOrderRequest {
        func text(_ key: String) throws(WireError) -> String {
            guard let value = try request.string(key) else { throw .badRequest("'order' needs a string '\(key)'") }
            return value
        }
        func number(_ key: String) throws(WireError) -> Double {
            guard let value = try request.number(key) else { throw .badRequest("'order' needs a number '\(key)'") }
            return value
        }
        guard let weightUnit = WeightUnit(rawValue: try text("weightUnit")) else {
            throw .badRequest("'order' needs 'weightUnit', one of \(WeightUnit.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let unit = DoseRateUnit(rawValue: try text("unit")) else {
            throw .badRequest("'order' needs 'unit', one of \(DoseRateUnit.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return InfusionOrderRequest(
            orderID: try text("orderID"), patientID: try text("patientID"), weight: try number("weight"),
            weightUnit: weightUnit, drugName: try text("drugName"), drugCode: try request.string("drugCode"),
            concentration: MilligramsPerMillilitre(try number("concentration")), rate: DoseRate(try number("rate"), unit),
            volumeToBeInfused: try request.number("volumeToBeInfused").map(Millilitres.init))
    }

    /// `confirm: true` with a `reason`: the operator means to pass a soft limit (the core wants the reason).
    private static func override(_ request: Request) throws(WireError) -> LimitOverride? {
        guard try request.bool("confirm") ?? false else { return nil }
        return LimitOverride(reason: try request.string("reason") ?? "")
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ request: Request, field: String? = nil) throws(WireError) -> T {
        let value: JSONValue = field.flatMap { request.fields[$0] } ?? .object(request.fields)
        do {
            return try LineCoding.convert(value, to: type)
        } catch let error as DecodingError {
            throw .badRequest("'\(request.command)': \(describe(error, under: field))")
        } catch {
            throw .badRequest("'\(request.command)': \(error)")
        }
    }

    /// The error naming its field in full: a field decoded on its own (`aldrete`) reports paths relative
    /// to it, so `under` is put in front (`aldrete`, `aldrete.activity`); docs/PROTOCOL.md promises every
    /// `bad-request` about a field names it.
    private static func describe(_ error: DecodingError, under field: String?) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            ((field.map { [$0] } ?? []) + keys.map(\.stringValue)).joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing field '\(path(context.codingPath + [key]))'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "field '\(path(context.codingPath))' has the wrong type: \(context.debugDescription)"
        case .dataCorrupted(let context): return "field '\(path(context.codingPath))': \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
