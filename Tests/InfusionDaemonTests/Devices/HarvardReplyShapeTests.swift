import DeviceProtocols
import Testing

@testable import InfusionDaemon

/// Harvard replies do not echo the command, so the reply's shape is what keeps a late answer to a
/// timed-out query from answering the next command.
@Suite("Harvard driver: which replies answer which commands")
struct HarvardReplyShapeTests {
    typealias Shape = HarvardPumpDriver.ReplyShape

    let promptOnly = HarvardReply(address: 0, prompt: .infusing)
    let rate = HarvardReply(address: 0, lines: ["10.0000 ml/h"], prompt: .infusing)
    let volume = HarvardReply(address: 0, lines: ["0.1234 ml"], prompt: .infusing)
    let diameter = HarvardReply(address: 0, lines: ["11.99 mm"], prompt: .idle)
    let refused = HarvardReply(address: 0, lines: ["OOR"], prompt: .idle)

    @Test("commands map to the shape of their reply")
    func shapesOfCommands() {
        #expect(Shape(.queryInfusionRate) == .rate)
        #expect(Shape(.queryInfusedVolume) == .volume)
        #expect(Shape(.queryDiameter) == .diameter)
        #expect(Shape(.setInfusionRate(5, .millilitresPerHour)) == .empty)
        #expect(Shape(.run) == .empty)
        #expect(Shape(.prompt) == .empty)
    }

    @Test("a reply answers only a command of its own shape")
    func repliesFitTheirShapeOnly() {
        #expect(Shape.rate.fits(rate))
        #expect(!Shape.rate.fits(promptOnly))
        #expect(!Shape.rate.fits(volume))
        #expect(Shape.volume.fits(volume))
        #expect(!Shape.volume.fits(rate))
        #expect(!Shape.volume.fits(promptOnly))
        #expect(Shape.diameter.fits(diameter))
        #expect(!Shape.diameter.fits(promptOnly))
        #expect(Shape.empty.fits(promptOnly))
        #expect(!Shape.empty.fits(rate))
        #expect(!Shape.empty.fits(volume))
    }

    @Test("a refusal answers any command")
    func refusalFitsEverything() {
        for shape in [Shape.rate, .volume, .diameter, .empty] {
            #expect(shape.fits(refused))
        }
    }
}
