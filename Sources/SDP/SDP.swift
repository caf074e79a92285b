// SDP: module under construction (seed file; replaced by the module's real sources).
