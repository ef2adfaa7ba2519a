internal import Synchronization

/// A bounded multi-producer, multi-consumer queue that never locks: each slot carries a sequence
/// number that says whether it is free for the producer of a given turn or full for its consumer
/// (Dmitry Vyukov's bounded MPMC design). Enqueue and dequeue are a few atomic operations and never
/// allocate, so the control thread can use it on its real-time path; a full queue refuses instead
/// of waiting.
package final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    // @unchecked: `values` is raw memory whose slots are handed between threads by the sequence
    // numbers' acquire/release ordering; each slot is touched by one thread at a time.
    private let capacity: Int
    private let mask: Int
    private let sequences: UnsafeMutablePointer<Atomic<Int>>
    private let values: UnsafeMutablePointer<Element?>
    private let enqueuePosition = Atomic<Int>(0)
    private let dequeuePosition = Atomic<Int>(0)

    /// A queue holding at most `minimumCapacity` elements, rounded up to a power of two.
    package init(minimumCapacity: Int) {
        var size = 2
        while size < minimumCapacity { size <<= 1 }
        capacity = size
        mask = size - 1
        sequences = .allocate(capacity: size)
        values = .allocate(capacity: size)
        for index in 0..<size {
            (sequences + index).initialize(to: Atomic(index))
            (values + index).initialize(to: nil)
        }
    }

    deinit {
        sequences.deinitialize(count: capacity)
        sequences.deallocate()
        values.deinitialize(count: capacity)
        values.deallocate()
    }

    /// Adds `element`; returns false, leaving the queue unchanged, when it is full.
    @discardableResult
    package func enqueue(_ element: Element) -> Bool {
        var position = enqueuePosition.load(ordering: .relaxed)
        while true {
            let slot = position & mask
            let sequence = sequences[slot].load(ordering: .acquiring)
            let difference = sequence - position
            if difference == 0 {
                let (exchanged, current) = enqueuePosition.compareExchange(
                    expected: position, desired: position + 1, ordering: .relaxed)
                if exchanged {
                    values[slot] = element
                    sequences[slot].store(position + 1, ordering: .releasing)
                    return true
                }
                position = current
            } else if difference < 0 {
                return false
            } else {
                position = enqueuePosition.load(ordering: .relaxed)
            }
        }
    }

    /// Removes and returns the oldest element, or nil when the queue is empty.
    package func dequeue() -> Element? {
        var position = dequeuePosition.load(ordering: .relaxed)
        while true {
            let slot = position & mask
            let sequence = sequences[slot].load(ordering: .acquiring)
            let difference = sequence - (position + 1)
            if difference == 0 {
                let (exchanged, current) = dequeuePosition.compareExchange(
                    expected: position, desired: position + 1, ordering: .relaxed)
                if exchanged {
                    let element = values[slot].take()
                    sequences[slot].store(position + mask + 1, ordering: .releasing)
                    return element
                }
                position = current
            } else if difference < 0 {
                return nil
            } else {
                position = dequeuePosition.load(ordering: .relaxed)
            }
        }
    }
}
