//! The protocol data structures of Get/SetParameters (CCID 1.1 §6.1.7).

use crate::CcidError;

/// The T=0 structure (bProtocolNum 0, 5 bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct T0Parameters {
    /// bmFindexDindex (TA1).
    pub fi_di: u8,
    /// bmTCCKST0: bit 1 = inverse convention.
    pub tccks: u8,
    /// bGuardTimeT0 (TC1).
    pub guard_time: u8,
    /// bWaitingIntegerT0 (TC2).
    pub waiting_integer: u8,
    /// bClockStop.
    pub clock_stop: u8,
}

/// The T=1 structure (bProtocolNum 1, 7 bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct T1Parameters {
    /// bmFindexDindex (TA1).
    pub fi_di: u8,
    /// bmTCCKST1: 0x10, plus bit 0 = CRC, bit 1 = inverse convention.
    pub tccks: u8,
    /// bGuardTimeT1 (TC1).
    pub guard_time: u8,
    /// bmWaitingIntegersT1: BWI << 4 | CWI.
    pub waiting_integers: u8,
    /// bClockStop.
    pub clock_stop: u8,
    /// bIFSC.
    pub ifsc: u8,
    /// bNadValue.
    pub nad: u8,
}

/// The parameters of one protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProtocolParameters {
    /// T=0.
    T0(T0Parameters),
    /// T=1.
    T1(T1Parameters),
}

impl ProtocolParameters {
    /// bProtocolNum.
    pub fn protocol(&self) -> u8 {
        match self {
            ProtocolParameters::T0(_) => 0,
            ProtocolParameters::T1(_) => 1,
        }
    }

    /// abProtocolDataStructure.
    pub fn encode(&self) -> Vec<u8> {
        match *self {
            ProtocolParameters::T0(p) => {
                vec![
                    p.fi_di,
                    p.tccks,
                    p.guard_time,
                    p.waiting_integer,
                    p.clock_stop,
                ]
            }
            ProtocolParameters::T1(p) => vec![
                p.fi_di,
                p.tccks,
                p.guard_time,
                p.waiting_integers,
                p.clock_stop,
                p.ifsc,
                p.nad,
            ],
        }
    }

    /// Parses the structure of an RDR_to_PC_Parameters reply.
    pub fn parse(protocol: u8, data: &[u8]) -> Result<ProtocolParameters, CcidError> {
        match (protocol, data) {
            (0, &[fi_di, tccks, guard_time, waiting_integer, clock_stop]) => {
                Ok(ProtocolParameters::T0(T0Parameters {
                    fi_di,
                    tccks,
                    guard_time,
                    waiting_integer,
                    clock_stop,
                }))
            }
            (1, &[fi_di, tccks, guard_time, waiting_integers, clock_stop, ifsc, nad]) => {
                Ok(ProtocolParameters::T1(T1Parameters {
                    fi_di,
                    tccks,
                    guard_time,
                    waiting_integers,
                    clock_stop,
                    ifsc,
                    nad,
                }))
            }
            _ => Err(CcidError::protocol(format!(
                "parameters for T={protocol} of {} bytes",
                data.len()
            ))),
        }
    }
}
