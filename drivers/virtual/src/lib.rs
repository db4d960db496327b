//! tamga-virtual (skeleton; filled by issue #3).
