import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Something that wakes the scheduler: a child that ended, or a signal.
enum SchedulerEvent: Sendable {
    case childExited(runId: Int, ChildExit)
    /// SIGTERM or SIGINT: finish the running jobs within the grace period, then stop.
    case stop(signal: Int32)
    /// SIGHUP: read the schedules again now.
    case reload
}

/// A queue of events that the scheduler's one thread sleeps on. Other threads (child waiters,
/// signal handlers) post; the scheduler's thread takes.
final class SchedulerEvents: Sendable {
    private let pending = Mutex<[SchedulerEvent]>([])
    private let semaphore = DispatchSemaphore(value: 0)

    func post(_ event: SchedulerEvent) {
        pending.withLock { $0.append(event) }
        semaphore.signal()
    }

    /// Returns the pending events, waiting up to `seconds` for one when there are none.
    func take(waitingAtMost seconds: Double) -> [SchedulerEvent] {
        let events = pending.withLock { queue in
            defer { queue.removeAll() }
            return queue
        }
        guard events.isEmpty else { return events }
        let nanoseconds = Int(max(0, min(seconds, 86_400)) * 1_000_000_000)
        _ = semaphore.wait(timeout: .now() + .nanoseconds(nanoseconds))
        return pending.withLock { queue in
            defer { queue.removeAll() }
            return queue
        }
    }
}

/// Turns SIGTERM and SIGINT into ``SchedulerEvent/stop(signal:)`` and SIGHUP into
/// ``SchedulerEvent/reload`` while it lives, and restores the default actions when it goes.
final class SchedulerSignals {
    private var sources: [any DispatchSourceSignal] = []
    private static let handled: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    init(posting events: SchedulerEvents) {
        for number in Self.handled {
            // A dispatch source only sees a signal whose default action is turned off.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                events.post(number == SIGHUP ? .reload : .stop(signal: number))
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
        for number in Self.handled { signal(number, SIG_DFL) }
    }
}
