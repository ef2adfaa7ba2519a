import Testing

/// Every test that makes a umockdev testbed. A testbed is process-wide (the preload follows the one
/// `$UMOCKDEV_DIR`), so these run one at a time, never beside each other.
@Suite(.serialized) enum UmockdevSuites {}
