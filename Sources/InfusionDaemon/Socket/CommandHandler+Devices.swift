internal import InfusionCore
internal import WireProtocol

extension CommandHandler {
    /// `adopt`: `{"cmd":"adopt","chair":"1","role":"pump"}`. Admin only: accepting another adapter
    /// changes which physical device a chair commands, as editing the configuration would.
    func adopt(_ request: Request) throws -> DeviceSummary {
        guard let chair = try request.string("chair"), let roleName = try request.string("role") else {
            throw WireError.badRequest("'adopt' needs 'chair' and 'role' (pump or monitor)")
        }
        guard let role = DeviceRole(rawValue: roleName) else {
            throw WireError.badRequest("'role' must be pump or monitor, got '\(roleName)'")
        }
        guard context.control.chairIndex(of: chair) != nil else {
            throw WireError(code: "unknown-chair", message: "no chair '\(chair)'; chairs are \(context.control.chairIDs)")
        }
        guard let adoptDevice = context.adoptDevice else {
            throw WireError(code: "no-device", message: "no devices are supervised")
        }
        do {
            return try adoptDevice(chair, role)
        } catch {
            throw WireError(code: error.code, message: error.message)
        }
    }
}
