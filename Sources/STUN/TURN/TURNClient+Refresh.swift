import Wire

extension TURNClient {
    /// Refreshes the allocation now instead of waiting for the scheduled deadline
    /// (RFC 8656 §7.5): a Refresh asking for `requestedLifetime`, else the lifetime
    /// last granted. Answered by `.refreshed`. Teaching tools call it to show the
    /// exchange; a long-running client can leave refreshing to `nextTimeout`.
    public mutating func refresh(at now: Instant) throws {
        guard state == .allocated else {
            throw STUNError(.invalidArgument, "refresh() needs an allocation, the client is \(state)")
        }
        allocationRefreshAt = nil
        try startRequest(.refresh(lifetime: refreshLifetime), at: now)
    }
}
