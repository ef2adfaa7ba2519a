import Foundation

extension SimulatedChair {
    /// A chair infusing the standard program on a Masimo oximeter (it streams every second, so links come
    /// back fast after a restart or replug), with fast device timing and no baseline cuff pressure needed.
    /// Returns the chair and the client that started it.
    static func infusingOnOximeter(
        auditConfiguration: String = "{}", launcher: @escaping (ScratchDirectory) -> [String] = { _ in [] }
    ) throws -> (SimulatedChair, LineClient) {
        let chair = try SimulatedChair(
            monitorProtocol: "masimo", preset: "typical", timeScale: 1,
            coreConfiguration: #"{"requireBaselineBloodPressure":false}"#,
            devicesConfiguration: #"{"pollSeconds":0.5,"linkLostSeconds":2,"reopenSeconds":0.5}"#,
            auditConfiguration: auditConfiguration, launcher: launcher)
        let client = try chair.client()
        try chair.admitAndProgram(client)
        let deadline = Date().addingTimeInterval(30)
        while true {
            // Until both links are up and vitals flow, start is refused with the reason.
            let started = try client.request(#"{"cmd":"start","chair":"1"}"#)
            if started.ok { return (chair, client) }
            guard Date() < deadline else { throw Failure("start: \(started)") }
            usleep(200_000)
        }
    }
}
