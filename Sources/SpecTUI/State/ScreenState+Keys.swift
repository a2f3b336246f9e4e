extension ScreenState {
    /// The key context with the tune banner's state filled in.
    public var keyContext: KeyContext {
        var k = keys
        k.tuneRunning = tune?.isRunning == true
        k.hasSuggestion = tune?.suggestion != nil
        return k
    }

    /// Whether `command` can act now, and if not, why (see `KeyContext`).
    public func availability(of command: UICommand) -> KeyContext.Availability {
        keyContext.availability(of: command)
    }
}
