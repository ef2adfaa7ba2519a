import Testing
import WireProtocol

/// Every type the daemon publishes or replies with, populated as the daemon fills it (optionals absent and
/// present, empty and full lists, text with every escape class), written by `WireJSONEncoder` byte for byte
/// as the reference encoder writes it.
@Suite struct WireTypeEncodingTests {
    private typealias Compare = EncoderComparison

    /// Text with every class of character the encoder treats apart: quote, backslash, slash, the short escapes,
    /// other controls, DEL, the line and paragraph separators, two- three- and four-byte UTF-8, a combining mark.
    static let everyEscape =
        "quote\" backslash\\ slash/ nul\u{0} soh\u{1} bel\u{7} bs\u{8} tab\t lf\n vt\u{B} ff\u{C} cr\r esc\u{1B} us\u{1F}"
        + " del\u{7F} ls\u{2028} ps\u{2029} é 日本 😀 e\u{301} end"

    private static let time = WireTimestamp(epochMilliseconds: 1_796_600_523_456)
    private static let later = WireTimestamp(epochMilliseconds: 1_796_601_123_000)
    private static let epoch = WireTimestamp(epochMilliseconds: 0)

    private static let band = WireLimitBand(hardMinimum: 0.05, softMinimum: 0.1, softMaximum: 1, hardMaximum: 1.5)
    private static let openBand = WireLimitBand(hardMinimum: nil, softMinimum: nil, softMaximum: nil, hardMaximum: nil)
    private static let cuff = WireCuffPressure(systolic: 142, diastolic: 88, mean: 106.66666666666667, time: time)
    private static let screening = WireScreening(
        method: .structured, present: [.uncontrolledHypertension, .currentMania], overrideReason: "seen by Dr \"A\"/psych")
    private static let pressureOverride = WirePreStartPressureOverride(
        systolic: 162, diastolic: nil, reason: everyEscape, operatorID: "rn-7", time: time)

    private static var outline: WireSessionOutline {
        var outline = WireSessionOutline(
            patientID: "MRN-0042", profileID: "ketamine-depression", drugName: "Ketamine", weight: 81.64656, enteredWeight: 180,
            weightUnit: .lb, doseRateUnit: .milligramsPerKilogramPerHour, concentration: 2, programmedDose: 40.82328,
            predictedConcentrationLimits: band)
        outline.screening = screening
        outline.preStartPressureOverride = pressureOverride
        return outline
    }

    private static let bareOutline = WireSessionOutline(
        patientID: nil, profileID: "p", drugName: "", weight: 70, enteredWeight: 70, weightUnit: .kg,
        doseRateUnit: .millilitresPerHour, concentration: nil, programmedDose: nil, predictedConcentrationLimits: openBand)

    private static let order = WireOrder(
        orderID: "ORD-1/2026", patientID: "MRN-0042", weight: 72.5, weightUnit: .kg, weightKilograms: 72.5, drugName: "Ketamine",
        drugCode: "KET-10", profileIDs: ["ketamine-depression", "ketamine-chronic-pain"], concentration: 10,
        rate: WireDoseRate(value: 0.5, unit: .milligramsPerKilogramPerHour), volumeToBeInfused: 24.5, stagedBy: "uid:1001",
        stagedAt: time, acceptedBy: "rn-7", acceptedAt: later)

    private static let bareOrder = WireOrder(
        orderID: "O", patientID: "P", weight: 154, weightUnit: .lb, weightKilograms: 69.853168, drugName: "K", drugCode: nil,
        profileIDs: [], concentration: 1, rate: WireDoseRate(value: 12, unit: .millilitresPerHour), volumeToBeInfused: nil,
        stagedBy: "uid:0", stagedAt: epoch, acceptedBy: nil, acceptedAt: nil)

    private static let medication = WireMedication(
        drug: "ondansetron", name: "Ondansetron", dose: 4, unit: .mg, route: .iv, reason: "nausea", usualMinimum: 4,
        usualMaximum: 8, overrideReason: nil, operatorID: "rn-7", time: time, ageSeconds: 125.5)

    private static var fullStatus: ChairStatus {
        var status = ChairStatus(id: "chair-1", state: .infusing, time: later)
        status.flowMillilitresPerHour = 17.5
        status.commandedFlowMillilitresPerHour = 17.5
        status.deliveryUncertain = true
        status.deliveryUncertainReason = .commandNotConfirmed
        status.deliveryUncertainSince = time
        status.doseRate = WireDoseRate(value: 0.5, unit: .milligramsPerKilogramPerHour)
        status.deliveredMilligrams = 12.345678901234567
        status.predictedConcentration = 251.3
        status.alarms = ["spo2Low": .high, "bloodPressureOverdue": .low, "staleVitals": .medium]
        status.patientID = "MRN-0042"
        status.profileID = "ketamine-depression"
        status.drugName = "Ketamine"
        status.weightKilograms = 70
        status.enteredWeight = 154.3
        status.weightUnit = .lb
        status.concentrationMilligramsPerMillilitre = 2
        status.programmedMilligrams = 35
        status.predictedConcentrationLimits = band
        status.bloodPressure = cuff
        status.syringeRemainingMillilitres = 0.25
        status.vitals = [
            ChairVital(
                parameter: "spo2", source: "pleth", value: 97, unit: "%", flags: [], trustworthy: true, measuredAt: time,
                ageSeconds: 0.4, maximumAgeSeconds: 30, stale: false),
            ChairVital(
                parameter: "nibpSystolic", source: "cuff", value: nil, unit: "mm[Hg]", flags: ["sensorOff", "artefact"],
                trustworthy: false, measuredAt: epoch),
        ]
        status.takenInAt = epoch
        status.confirmingCuffReadingRequested = WireConfirmingCuffRequest(causes: [.systolicHigh, .diastolicHigh], since: time)
        status.activeAlarms = [
            WireActiveAlarm(
                condition: .spo2Low, category: .physiological, priority: .high, isAcknowledged: false, isAudioPaused: true,
                isLatched: false, raisedAt: time),
            WireActiveAlarm(
                condition: .pumpLinkLost, category: .technical, priority: .medium, isAcknowledged: true, isAudioPaused: false,
                isLatched: true, raisedAt: later),
        ]
        status.audioPausedUntil = later
        status.estimatedCompletion = later
        status.bolusEndsAt = later
        status.observations = [
            "moaas": WireObservation(value: 5, time: time, operatorID: "rn-7", ageSeconds: 600),
            "nausea": WireObservation(value: 0, time: time, operatorID: nil, ageSeconds: nil),
            "MOAAS-2": WireObservation(value: -1, time: epoch, operatorID: "", ageSeconds: 0),
        ]
        status.dueObservations = [WireDueObservation(scale: "aldrete", since: time)]
        status.missingDischargeCriteria = [
            WireMissingCriterion(kind: .score, scale: "aldrete", message: "score 'aldrete' ≥ 9 not yet recorded"),
            WireMissingCriterion(kind: .pumpStopped, scale: nil, message: "the pump is still running"),
        ]
        status.medications = [medication]
        status.screening = screening
        status.preStartPressureOverride = pressureOverride
        status.pendingOrder = order
        status.secondsLeft = 3_599.999
        status.bloodPressureAgeSeconds = 61
        status.audioPauseSecondsLeft = 119.5
        status.bolusSecondsLeft = 0.001
        return status
    }

    @Test func chairEventsEncodeAsTheReferenceDoes() {
        func chair<Detail: Codable & Sendable & Hashable>(_ detail: Detail) -> ChairEventData<Detail> {
            ChairEventData(chair: "1", detail: detail)
        }
        Compare.expectSame(chair(SessionStateChange(from: .programmed, to: .infusing, reason: "operator", time: Self.time, session: Self.outline)), "session.state")
        Compare.expectSame(chair(SessionStateChange(from: .idle, to: .intake, reason: "intake", time: Self.time, session: nil)), "session.state bare")
        Compare.expectSame(chair(SessionStateChange(from: .recovery, to: .dischargeReady, reason: "", time: Self.epoch, session: Self.bareOutline)), "session.state bare outline")
        for transition in AlarmTransitionData.Transition.allCases {
            Compare.expectSame(chair(AlarmTransitionData(
                condition: .spo2Low, category: .physiological, transition: transition, priority: .high, isAudible: transition == .raised,
                time: Self.time)), "alarm \(transition)")
        }
        Compare.expectSame(chair(AudioPauseData(isPaused: true, until: Self.later, time: Self.time)), "audio pause")
        Compare.expectSame(chair(AudioPauseData(isPaused: false, until: nil, time: Self.time)), "audio pause ended")
        for kind in LimitData.Kind.allCases {
            Compare.expectSame(chair(LimitData(
                kind: kind, outcome: .softOverridden, side: .above, requested: 1.25, limit: 1, reason: Self.everyEscape, operatorID: "rn-7",
                profileID: "ketamine-depression", libraryVersion: "2026.1", time: Self.time)), "limit \(kind)")
        }
        Compare.expectSame(chair(LimitData(
            kind: .weight, outcome: .hardRefused, side: .below, requested: 0.5, limit: 30, reason: nil, operatorID: "", profileID: "",
            libraryVersion: "", time: Self.epoch)), "limit bare")
        for kind in InterlockData.Kind.allCases {
            Compare.expectSame(chair(InterlockData(kind: kind, causes: [.spo2Low, .systolicHigh, .noPulse], time: Self.time)), "interlock \(kind)")
        }
        Compare.expectSame(chair(InterlockData(kind: .paused, causes: [], time: Self.time)), "interlock without causes")
        Compare.expectSame(chair(DeliveryData(
            flow: 17.5, doseRate: WireDoseRate(value: 0.5, unit: .milligramsPerKilogramPerHour), deliveredDose: 12.345, commandedDose: 12.35,
            reportedDose: 12.3, predictedConcentration: 251.34567, time: Self.time, bloodPressure: Self.cuff,
            syringeRemainingMillilitres: 31.2)), "pump.delivery")
        Compare.expectSame(chair(DeliveryData(
            flow: 0, doseRate: WireDoseRate(value: 0, unit: .milligramsPerHour), deliveredDose: 0, commandedDose: 0, reportedDose: 0,
            predictedConcentration: 0, time: Self.time, bloodPressure: nil, syringeRemainingMillilitres: nil)), "pump.delivery bare")
        for reason in WireDeliveryUncertainty.allCases {
            Compare.expectSame(chair(DeliveryCertaintyData(reason: reason, since: Self.time, time: Self.later)), "certainty \(reason)")
        }
        Compare.expectSame(chair(DeliveryCertaintyData(reason: nil, since: nil, time: Self.later)), "certainty regained")
        Compare.expectSame(chair(RestartData(
            kind: .reconciled, state: .paused, deliveredDoseAtCheckpoint: 10.5, deliveredDose: 10.75, outageSeconds: 12.000001,
            pumpState: .stopped, pumpStoppedDuringOutage: true, safeModeExpired: false, time: Self.time,
            checkpointRateMillilitresPerHour: 17.5, pumpRateMillilitresPerHour: 8.75, rateTakenFromPump: true)), "session.reconciled")
        Compare.expectSame(chair(RestartData(
            kind: .restored, state: .idle, deliveredDoseAtCheckpoint: 0, deliveredDose: 0, outageSeconds: 0.5, pumpState: nil,
            pumpStoppedDuringOutage: false, safeModeExpired: true, time: Self.time)), "session.restored")
        for kind in BolusData.Kind.allCases {
            Compare.expectSame(chair(BolusData(
                kind: kind, dose: 7, flow: 105, seconds: 120, endsAt: Self.later, deliveredDose: kind == .started ? 0 : 3.5,
                reason: kind == .cancelled ? "operator" : nil, time: Self.time)), "bolus \(kind)")
        }
        Compare.expectSame(chair(ObservationData(
            scores: [.init(scale: "moaas", value: 5), .init(scale: "nausea", value: 0), .init(scale: "pain", value: -2)],
            note: Self.everyEscape, operatorID: "rn-7", time: Self.time)), "observation")
        Compare.expectSame(chair(ObservationData(scores: [], note: nil, operatorID: "rn-7", time: Self.time)), "observation bare")
        Compare.expectSame(chair(ObservationStatusData(
            due: [WireDueObservation(scale: "moaas", since: Self.time), WireDueObservation(scale: "aldrete", since: Self.later)],
            missingDischargeCriteria: [WireMissingCriterion(kind: .alarms, scale: nil, message: "alarms active")], time: Self.time)),
            "observation.status")
        Compare.expectSame(chair(ObservationStatusData(due: [], missingDischargeCriteria: nil, time: Self.time)), "observation.status bare")
        Compare.expectSame(chair(Self.medication), "medication")
        Compare.expectSame(chair(OrderEventData(kind: .staged, order: Self.order, replacedOrderID: "ORD-0", time: Self.time)), "order")
        Compare.expectSame(chair(OrderEventData(kind: .accepted, order: Self.bareOrder, replacedOrderID: nil, time: Self.time)), "order bare")
    }

    @Test func deviceEventsEncodeAsTheReferenceDoes() {
        for parameter in WireVitalParameter.allCases {
            Compare.expectSame(ChairEventData(
                chair: "12", detail: VitalData(parameter: parameter, value: 97.3, flags: WireVitalFlag.allCases, time: Self.time)),
                "vital \(parameter)")
        }
        Compare.expectSame(ChairEventData(chair: "1", detail: VitalData(parameter: .spo2, value: nil, flags: [], time: Self.epoch)), "vital bare")
        Compare.expectSame(ChairEventData(chair: "1", detail: VitalData(parameter: .pulseRate, value: 0, flags: [.searching], time: Self.time)), "vital zero")
        for command in WirePumpCommand.allCases {
            Compare.expectSame(ChairEventData(chair: "1", detail: PumpCommandData(command: command)), "pump.command \(command)")
        }
        let setRate = PumpCommandData(
            command: .setRate, rateMillilitresPerHour: 17.5, syringeDiameterMillimetres: 26.59, targetInfusedMillilitres: 0.001)
        Compare.expectSame(ChairEventData(chair: "1", detail: setRate), "pump.command full")
        for reason in PumpCommandFailedData.Reason.allCases {
            Compare.expectSame(ChairEventData(
                chair: "1", detail: PumpCommandFailedData(command: setRate, reason: reason, message: Self.everyEscape)), "failed \(reason)")
        }
        for state in WirePumpRunState.allCases {
            Compare.expectSame(ChairEventData(chair: "1", detail: PumpReadbackData(
                state: state, rateMillilitresPerHour: 17.5, infusedMillilitres: 3.25, alarms: WirePumpAlarm.allCases, time: Self.time,
                syringeDiameterMillimetres: 26.59, rateRangeMillilitresPerHour: [0.001, 1_500])), "readback \(state)")
        }
        Compare.expectSame(ChairEventData(chair: "1", detail: PumpReadbackData(
            state: .unknown, rateMillilitresPerHour: nil, infusedMillilitres: nil, alarms: [], time: Self.time,
            syringeDiameterMillimetres: nil, rateRangeMillilitresPerHour: [])), "readback bare")
        let device = DeviceSummary(
            path: "/dev/serial/by-id/usb-FTDI_FT232R-if00-port0", driver: "newera", vendor: "0403", model: "6001", serial: "A9\"X/1",
            chair: "1", role: "pump", link: "up", idPath: "pci-0000:00:14.0-usb-0:2:1.0", bridge: "ftdi_sio", binding: "bound",
            match: "serial", reason: Self.everyEscape)
        Compare.expectSame(device, "device")
        Compare.expectSame(DeviceSummary(path: "/dev/ttyUSB0", link: "down"), "device bare")
        Compare.expectSame(DeviceList(devices: [device, DeviceSummary(path: "/dev/ttyS0", link: "waiting")]), "devices")
        Compare.expectSame(DeviceList(devices: []), "no devices")
        Compare.expectSame(Notice(text: Self.everyEscape, from: 4_294_967_295), "notice")
        Compare.expectSame(Notice(text: "", from: 0), "empty notice")
    }

    @Test func statusAndChairStatusEncodeAsTheReferenceDoes() {
        Compare.expectSame(Self.fullStatus, "full chair status")
        for state in WireSessionState.allCases {
            Compare.expectSame(ChairStatus(id: "c", state: state, time: Self.time), "bare chair status \(state)")
        }
        let audit = AuditHealth(
            health: "degraded", reason: "disk full (SQLITE_FULL)", held: 3, dropped: 0, written: 1_234_567, path: "/var/lib/infusiond/audit.sqlite",
            anchor: "1234:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
        Compare.expectSame(StatusInfo(
            daemon: "0.1.0", protocol: 2, pid: 4_242, uptimeSeconds: 86_400.123456789, clients: 3, watchers: 2, devices: 4,
            chairs: [Self.fullStatus, ChairStatus(id: "2", state: .idle, time: Self.time)], audit: audit, controlTicks: 8_640_012,
            missedTicks: 0), "status")
        Compare.expectSame(StatusInfo(
            daemon: "0.1.0", protocol: 2, pid: 1, uptimeSeconds: 0, clients: 0, watchers: 0, devices: 0, chairs: []), "bare status")
        Compare.expectSame(AuditHealth(health: "healthy", reason: nil, held: 0, dropped: 0, written: 0, path: "", anchor: nil), "audit")
    }

    @Test func repliesEncodeAsTheReferenceDoes() {
        Compare.expectSame(HelloInfo(protocol: 2, daemon: "0.1.0", role: .operator, uid: 1_000, topics: Topic.allCases, maxLineBytes: 65_536), "hello")
        Compare.expectSame(HelloInfo(protocol: 2, daemon: "", role: .viewer, uid: 0, topics: [], maxLineBytes: 0), "hello bare")
        Compare.expectSame(CommandName.catalogue, "help")
        Compare.expectSame(WatchState(topics: [.vitals, .alarms], lastSeq: 18_446_744_073_709_551_615), "watch")
        Compare.expectSame(WatchState(topics: []), "unwatch")
        Compare.expectSame(GapNotice(from: 1, to: 9_007_199_254_740_993, reason: .notRecorded), "gap")
        Compare.expectSame(Pong(), "pong")
        Compare.expectSame(EmptyResult(), "empty result")
        Compare.expectSame(ClosingNotice(reason: "the daemon is stopping"), "shutdown")
        Compare.expectSame(AuditVerification(intact: false, records: 10, firstBrokenRecord: -9_223_372_036_854_775_808, anchorHolds: false), "audit-verify")
        Compare.expectSame(AuditVerification(intact: true, records: 0, firstBrokenRecord: nil), "audit-verify bare")
        Compare.expectSame(ReportText(chair: "1", format: "hl7", text: "MSH|^~\\&|INFUSIOND\rPID|||MRN-0042\r"), "report")
        Compare.expectSame(SyringeListing(
            syringes: [
                .init(id: "bd-20", maker: "BD", nominalMillilitres: 20, innerDiameterMillimetres: 19.13),
                .init(id: "terumo-50", maker: "Terumo", nominalMillilitres: 50, innerDiameterMillimetres: 29.07),
            ],
            defaultID: "bd-20", chairs: [.init(chair: "1", syringe: "bd-20"), .init(chair: "2", syringe: "terumo-50")]), "syringes")
        Compare.expectSame(PatientCourse(
            patientID: "MRN-0042", outcomeScales: ["madrs", "phq9"],
            sessions: [
                CourseSession(
                    sessionID: "1:17", chair: "1", takenInAt: Self.time, startedAt: Self.time, endedAt: Self.later, durationMinutes: 40,
                    outcome: .completed, profileID: "ketamine-depression", weightKilograms: 70, deliveredMilligrams: 35,
                    deliveredMilligramsPerKilogram: 0.5, peakSystolic: 151, peakHeartRate: 104, lowestSpO2: 93, alarmCount: 2,
                    observations: [ScaleExtremes(scale: "moaas", lowest: 3, highest: 5, count: 4)],
                    outcomes: [OutcomeScore(scale: "madrs", value: 18)], seriesNumber: 3, daysSincePrevious: 2.9583333333333335),
                CourseSession(
                    sessionID: "2:3", chair: "2", takenInAt: Self.later, startedAt: nil, endedAt: nil, durationMinutes: nil,
                    outcome: .notDone, profileID: "ketamine-depression", weightKilograms: 70.5, deliveredMilligrams: 0,
                    deliveredMilligramsPerKilogram: 0, peakSystolic: nil, peakHeartRate: nil, lowestSpO2: nil, alarmCount: 0,
                    observations: [], outcomes: [], seriesNumber: nil, daysSincePrevious: nil),
            ]), "course")
        Compare.expectSame(PatientCourse(patientID: "", outcomeScales: [], sessions: []), "empty course")
        for outcome in CourseSession.Outcome.allCases {
            Compare.expectSame([outcome], "course outcome \(outcome)")
        }
    }

    @Test func errorsEncodeAsTheReferenceDoes() {
        Compare.expectSame(WireError.forbidden(command: "notice", required: .admin, actual: .viewer), "forbidden")
        Compare.expectSame(WireError.badJSON(Self.everyEscape), "bad-json")
        Compare.expectSame(WireError.unknownCommand("weather"), "unknown-command")
        Compare.expectSame(WireError.unknownTopic("weather"), "unknown-topic")
        Compare.expectSame(WireError.lineTooLong(limit: 65_536), "line-too-long")
        Compare.expectSame(
            WireError(code: "discharge-criteria-missing", message: "not yet", details: ["observationTime", "score:moaas", ""]), "details")
        Compare.expectSame(WireError(code: "x", message: "y", details: []), "empty details")
    }

    @Test func everyNameOfEveryClosedSetEncodesAsTheReferenceDoes() {
        Compare.expectSame(Role.allCases, "roles")
        Compare.expectSame(Topic.allCases, "topics")
        Compare.expectSame(EventName.allCases, "events")
        Compare.expectSame(WireSessionState.allCases, "states")
        Compare.expectSame(WireAlarmPriority.allCases, "priorities")
        Compare.expectSame(WireAlarmCategory.allCases, "categories")
        Compare.expectSame(WireAlarmCondition.allCases, "conditions")
        Compare.expectSame(WireWeightUnit.allCases, "weight units")
        Compare.expectSame(WireDoseRateUnit.allCases, "dose rate units")
        Compare.expectSame(WireDeliveryUncertainty.allCases, "uncertainties")
        Compare.expectSame(WireMissingCriterion.Kind.allCases, "criteria")
        Compare.expectSame(WireMedicationRoute.allCases, "routes")
        Compare.expectSame(WireMedicationDoseUnit.allCases, "dose units")
        Compare.expectSame(WireContraindication.allCases, "contraindications")
        Compare.expectSame(WireScreeningMethod.allCases, "screening methods")
        Compare.expectSame(LimitData.Outcome.allCases, "limit outcomes")
        Compare.expectSame(LimitData.Side.allCases, "limit sides")
        Compare.expectSame(RestartData.Kind.allCases, "restart kinds")
        Compare.expectSame(OrderEventData.Kind.allCases, "order kinds")
        Compare.expectSame(GapNotice.Reason.allCases, "gap reasons")
    }

    @Test func requestsEncodeAsTheReferenceDoes() throws {
        let request = try Request.parse(line: Array(
            #"{"cmd":"rate","id":"r-1","chair":"1","rate":0.6,"unit":"mg/kg/h","confirm":true,"reason":"a\"b\\c/d\u0001","scores":{"moaas":5,"nausea":1},"list":[1,2.5,-0,1e300,[],{},"é"]}"#
                .utf8)).get()
        Compare.expectSame(request, "request")
        Compare.expectSame(Request(command: "ping", id: 7), "integer id")
        Compare.expectSame(Request(command: "ping", id: .number("-9223372036854775808")), "Int64.min id")
        Compare.expectSame(Request(command: "ping"), "no id")
        // A non-integer id is written as a Decimal, which the reference encodes its own way: it writes it.
        Compare.expectLeftToReference(Request(command: "ping", id: .number("1.50")), "decimal id")
        #expect(try LineCoding.encodeLine(Request(command: "ping", id: .number("1.50"))) == Array(#"{"cmd":"ping","id":1.5}"#.utf8) + [10])
    }
}
