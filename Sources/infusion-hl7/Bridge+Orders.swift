import ClinicalExports
import Glibc
import HL7Bridge
import Logging

/// The inbound side (`--listen`): each PCD-03 order read, staged on its chair through infusiond's `order`, and
/// answered with `RRG^O16`: `AA` when staged, `AE`/`AR` with the reason when not (docs/INTEGRATION.md
/// "Inbound orders"). Nothing is staged for an order that is answered with an error.
extension Bridge {
    func acceptOrderConnection() {
        guard let inbox = orders else { return }
        do {
            guard try inbox.accept() != nil else { return }
            log.info("an order system connected")
        } catch {
            log.error("an order system's connection failed at once: \(error)")
        }
    }

    func readOrders() {
        guard let inbox = orders else { return }
        let read: [MLLPDecoder.Item]?
        do {
            read = try inbox.read()
        } catch {
            log.error("refused an order system's connection: \(error)")
            return
        }
        guard let items = read else {
            log.info("the order system closed its connection")
            return
        }
        for item in items {
            guard case .frame(let bytes) = item else {
                log.error("the order system sent an oversized frame; its connection is closed")
                inbox.drop()
                return
            }
            answer(String(decoding: bytes, as: UTF8.self), on: inbox)
        }
    }

    private func answer(_ text: String, on inbox: OrderInbox) {
        let controlID: String
        let outcome: OrderAcknowledgement.Outcome
        do {
            let order = try InfusionOrder.parse(text)
            controlID = order.messageControlID
            if let refusal = OrderStaging.pointOfCareRefusal(order, configuration: settings.configuration.hl7) {
                outcome = .refused(refusal)
            } else {
                outcome = stage(order)
            }
        } catch {
            controlID = error.messageControlID
            outcome = .refused(error)
        }
        switch outcome {
        case .staged:
            log.info("order staged", metadata: ["control": "\(controlID)"])
        case .refused(let rejection):
            log.error(
                "order not staged: \(rejection.reason)",
                metadata: ["control": "\(controlID)", "answer": "\(rejection.code.rawValue)", "hl7Error": "\(rejection.hl7ErrorCode)"])
        }
        acknowledgementCount += 1
        let acknowledgementID = "\(settings.sourceName).O16.\(Wall.milliseconds).\(acknowledgementCount)"
        let message = OrderAcknowledgement.message(
            for: controlID, outcome: outcome, acknowledgementID: acknowledgementID,
            time: UTCInstant(millisecondsSinceEpoch: Wall.milliseconds), configuration: settings.configuration.hl7)
        do {
            try inbox.send(message)
        } catch {
            log.warning("cannot answer the order system (\(error)); its connection is closed")
            inbox.drop()
        }
    }

    /// Asks infusiond to stage `order`; its answer, or its absence, decides the acknowledgement.
    private func stage(_ order: InfusionOrder) -> OrderAcknowledgement.Outcome {
        let request = OrderStaging.request(for: order, id: "hl7-\(order.messageControlID)")
        do {
            let refusal = try DaemonCommand.send(request, to: settings.socketPath, timeoutSeconds: 10)
            return OrderStaging.outcome(for: order, refusal: refusal)
        } catch {
            return OrderStaging.unreachable(order, why: "\(error)")
        }
    }
}
