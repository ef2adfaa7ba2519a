internal import InfusionCore
internal import WireProtocol

extension CommandHandler {
    /// `adopt`: `{"cmd":"adopt","chair":"1","role":"pump"}`. Admin only: accepting another adapter
    /// changes which physical device a chair commands, as editing the configuration would. Accepted
    /// and refused adoptions are audited like chair commands, with the adopted device's identity;
    /// an accepted one is acknowledged only once its record is durable.
    func adopt(_ request: Request, _ client: ClientConnection) async throws -> [UInt8] {
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
        var audited = request
        let outcome: Result<DeviceSummary, DiscoveryRegistry.AdoptionError>
        do {
            let adopted = try adoptDevice(chair, role)
            audited.fields["device"] = .string(
                [adopted.path, adopted.vendor, adopted.model, adopted.serial, adopted.idPath].compactMap { $0 }.joined(separator: " "))
            outcome = .success(adopted)
        } catch {
            outcome = .failure(error)
        }
        if let recorder = context.recorder {
            let failure = { () -> CoreError? in
                guard case .failure(let error) = outcome else { return nil }
                return CoreError(code: error.code, message: error.message)
            }()
            do {
                try await recorder.recordCommand(
                    audited, chair: chair, outcome: failure,
                    actor: AuditActor(uid: client.peer.uid, role: client.role.rawValue), time: ControlLoop.now())
            } catch where failure == nil {
                throw WireError(
                    code: "not-durable",
                    message: "the device was adopted, but its audit record is not durable (\(error)); it is held and retried")
            }
        }
        switch outcome {
        case .success(let summary):
            return MessageFraming.success(request.command, id: request.id, result: summary)
        case .failure(let error):
            throw WireError(code: error.code, message: error.message)
        }
    }
}
