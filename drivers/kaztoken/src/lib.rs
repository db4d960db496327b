//! tamga-kaztoken (skeleton; filled by issue #3).
