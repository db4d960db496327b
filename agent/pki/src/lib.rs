//! tamga-pki (skeleton; issue #4).
