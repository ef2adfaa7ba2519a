/// The IEC 60601-1-8 alarm system of one chair (docs/CLINICAL-BASIS.md §3.2): raises, escalates, latches,
/// acknowledges and clears alarm conditions, and runs the audio pause. Every transition is appended
/// to the caller's output as an `AlarmEvent`.
///
/// Fixed-size state (one slot per `AlarmCondition`), so the steady-state path neither allocates nor
/// grows; it appends to `output` only when something changes.
struct AlarmSystem: Hashable, Sendable {
    var policy: AlarmPolicy
    private var slots: ContiguousArray<AlarmState?>
    /// When the current audio pause ends; nil when audio is not paused.
    private(set) var audioPausedUntil: MonotonicInstant?

    init(policy: AlarmPolicy) {
        self.policy = policy
        self.slots = ContiguousArray(repeating: nil, count: AlarmCondition.all.count)
    }

    func state(of condition: AlarmCondition) -> AlarmState? { slots[condition.index] }

    /// Whether any alarm is active or latched.
    var hasAnyAlarm: Bool { slots.contains { $0 != nil } }

    /// Every active or latched alarm, for snapshots (allocates; not for the tick path).
    var alarms: [AlarmState] { slots.compactMap { $0 } }

    /// Reports the condition's current level (nil: the trigger is absent) and applies the transition.
    mutating func update(
        _ condition: AlarmCondition,
        level: AlarmPriority?,
        at now: MonotonicInstant,
        into output: inout [CoreOutput]
    ) {
        let i = condition.index
        guard var state = slots[i] else {
            guard let level else { return }
            let raised = AlarmState(
                condition: condition, priority: level, isConditionPresent: true, isAcknowledged: false,
                isAudioPaused: false, isEscalated: false, raisedAt: now
            )
            slots[i] = raised
            emit(.raised, raised, now, &output)
            return
        }
        let latches = policy.latching.contains(condition)
        guard let level else {
            guard state.isConditionPresent else { return }
            if latches && !state.isAcknowledged {
                state.isConditionPresent = false
                slots[i] = state
                emit(.latched, state, now, &output)
            } else {
                slots[i] = nil
                emit(.cleared, state, now, &output)
            }
            return
        }
        if !state.isConditionPresent {
            // The trigger came back while latched: a new occurrence that must be acknowledged again.
            state.isConditionPresent = true
            state.isAcknowledged = false
            state.isAudioPaused = false
            state.priority = max(state.priority, level)
            slots[i] = state
            emit(.raised, state, now, &output)
        } else if level > state.priority {
            // A worse condition re-announces, even if the milder one was acknowledged or silenced.
            state.priority = level
            state.isAcknowledged = false
            state.isAudioPaused = false
            slots[i] = state
            emit(.escalated, state, now, &output)
        } else if level < state.priority && !latches && !state.isEscalated {
            state.priority = level
            slots[i] = state
            emit(.deescalated, state, now, &output)
        }
    }

    /// Acknowledges one condition, or every alarm when `condition` is nil. A latched alarm whose
    /// trigger has ended is reset (cleared). Returns how many alarms changed.
    @discardableResult
    mutating func acknowledge(
        _ condition: AlarmCondition?,
        at now: MonotonicInstant,
        into output: inout [CoreOutput]
    ) -> Int {
        var changed = 0
        for i in slots.indices {
            guard let state = slots[i], condition == nil || state.condition == condition else { continue }
            if !state.isConditionPresent {
                slots[i] = nil
                emit(.cleared, state, now, &output)
                changed += 1
            } else if !state.isAcknowledged {
                var acknowledged = state
                acknowledged.isAcknowledged = true
                slots[i] = acknowledged
                emit(.acknowledged, acknowledged, now, &output)
                changed += 1
            }
        }
        return changed
    }

    /// Clears, with a `cleared` event each, every alarm that belongs to the patient who left: all
    /// physiological alarms and every latched one. A technical condition still present (a link down)
    /// stays: it is about the chair, and the next evaluation would raise it again anyway.
    mutating func clearForNewPatient(at now: MonotonicInstant, into output: inout [CoreOutput]) {
        for i in slots.indices {
            guard let state = slots[i], state.condition.category == .physiological || state.isLatched else { continue }
            slots[i] = nil
            emit(.cleared, state, now, &output)
        }
    }

    /// Puts back an alarm a checkpoint kept, latched and unacknowledged: its trigger is not known after a
    /// restart, and a person must reset it before the pause it caused can end.
    mutating func restoreLatched(_ alarm: AlarmState, at now: MonotonicInstant, into output: inout [CoreOutput]) {
        var latched = alarm
        latched.isConditionPresent = false
        latched.isAcknowledged = false
        latched.isAudioPaused = false
        slots[alarm.condition.index] = latched
        emit(.latched, latched, now, &output)
    }

    /// Starts (or restarts) the audio pause: alarms active now fall silent for the configured time;
    /// alarms raised during the pause still sound.
    mutating func pauseAudio(at now: MonotonicInstant, into output: inout [CoreOutput]) {
        let until = now + .configured(seconds: policy.audioPauseSeconds)
        audioPausedUntil = until
        for i in slots.indices where slots[i] != nil {
            slots[i]?.isAudioPaused = true
        }
        output.append(.event(.audioPause(AudioPauseEvent(isPaused: true, until: until, time: now))))
    }

    /// Time-driven transitions: the audio pause expiring and unacknowledged medium alarms escalating.
    mutating func advance(to now: MonotonicInstant, into output: inout [CoreOutput]) {
        if let until = audioPausedUntil, now >= until {
            audioPausedUntil = nil
            for i in slots.indices where slots[i] != nil {
                slots[i]?.isAudioPaused = false
            }
            output.append(.event(.audioPause(AudioPauseEvent(isPaused: false, until: nil, time: now))))
        }
        guard let escalationSeconds = policy.escalateUnacknowledgedMediumAfterSeconds else { return }
        let escalationDelay = Duration.configured(seconds: escalationSeconds)
        for i in slots.indices {
            guard var state = slots[i], state.priority == .medium, state.isConditionPresent,
                !state.isAcknowledged, now - state.raisedAt >= escalationDelay
            else { continue }
            state.priority = .high
            state.isEscalated = true
            state.isAudioPaused = false
            slots[i] = state
            emit(.escalated, state, now, &output)
        }
    }

    private func emit(
        _ transition: AlarmTransition,
        _ state: AlarmState,
        _ now: MonotonicInstant,
        _ output: inout [CoreOutput]
    ) {
        let event = AlarmEvent(
            condition: state.condition, category: state.condition.category, transition: transition,
            priority: state.priority, isAudible: transition != .cleared && state.isAudible, time: now
        )
        output.append(.event(.alarm(event)))
    }
}

/// The audio pause started (with its end) or ended by itself.
public struct AudioPauseEvent: Hashable, Sendable, Codable {
    public var isPaused: Bool
    /// When the pause will end by itself; nil when it just ended.
    public var until: MonotonicInstant?
    public var time: MonotonicInstant
}
