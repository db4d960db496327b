//! tamga-guest: runs inside the QEMU guest, on the guest kernel's USB stack through usbfs.
//!
//! - `tamga-guest route1`: QEMU's usb-ccid reader, whose card is the virtual KAZTOKEN served by
//!   `vscard-server` on the host; the token scenarios, card removal, and the latency benchmark;
//! - `tamga-guest route2 UDC_FILE`: the virtual KAZTOKEN's own CCID device model as FunctionFS
//!   gadgets on dummy_hcd (T=1 TPDU, extended-APDU chaining, time extensions), and an unplug
//!   mid-transfer by unbinding the gadget whose UDC file is given.
//!
//! Output: libtest-style lines; exit code 0 only when every test passed.

mod common;
mod route1;
mod route2;
#[allow(dead_code, clippy::all)]
#[path = "../../../../../drivers/kaztoken/tests/common/scenarios.rs"]
mod scenarios;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ok = match args.first().map(String::as_str) {
        Some("route1") => route1::run(),
        Some("route2") => match args.get(1) {
            Some(udc) => route2::run(udc),
            None => false,
        },
        _ => {
            eprintln!("usage: tamga-guest route1 | route2 UDC_FILE");
            return ExitCode::from(2);
        }
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
