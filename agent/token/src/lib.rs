//! tamga-token (skeleton)
