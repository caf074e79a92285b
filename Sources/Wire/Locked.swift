#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value behind a `pthread_mutex_t`: the lock every module of the stack uses for
/// state shared between threads, with `Synchronization.Mutex`'s `withLock` shape.
///
/// Why not `Mutex` itself: on Linux, `Mutex` locks with a futex inside the standard
/// library, which ThreadSanitizer does not instrument, so TSan sees none of the
/// ordering the lock gives and reports every access inside `withLock` as a race
/// (docs/RELIABILITY.md §8; a four-thread program with one `Mutex` shows it). TSan
/// intercepts `pthread_mutex_lock`, so with this lock `scripts/sanitize.sh tsan`
/// checks the very locking the shipped build does. Uncontended, both are one atomic
/// operation to lock and one to unlock.
///
/// Not reentrant, like `Mutex`: a `withLock` inside another on the same lock
/// deadlocks (the mutex is `PTHREAD_MUTEX_NORMAL`, the fastest kind).
/// `@unchecked Sendable` because the mutex is what makes sharing `value` safe; the
/// closure's `sending` value and result keep the region checks `Mutex` gives.
public final class Locked<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    /// Creates the lock holding `initialValue`.
    public init(_ initialValue: consuming sending Value) {
        value = initialValue
        // Allocated, not stored inline: a pthread mutex must not move once initialised,
        // and a class's stored properties make no such promise to C.
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed: \(status)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with the lock held and the value open for change; returns what
    /// `body` returns. The lock is released when `body` returns or throws.
    @inline(__always)
    public func withLock<Result, Failure: Error>(
        _ body: (inout sending Value) throws(Failure) -> sending Result
    ) throws(Failure) -> sending Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
