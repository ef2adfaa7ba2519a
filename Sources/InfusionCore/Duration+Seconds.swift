extension Duration {
    /// A duration of `seconds`, where configuration may hold anything: NaN and negatives become zero,
    /// huge values saturate, so a bad setting can never trap the control thread.
    static func configured(seconds: Double) -> Duration {
        guard seconds.isFinite, seconds > 0 else { return .zero }
        let maximumSeconds = Double(Int64.max / 1_000_000_000)
        return .nanoseconds(Int64(min(seconds, maximumSeconds) * 1e9))
    }
}
