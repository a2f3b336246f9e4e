/// SpecEngine: runs a decoder on a background Dispatch queue and streams its
/// events to the UI; records and replays traces.
public enum SpecEngine {}
