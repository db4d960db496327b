//! ccid-gadget FFS_DIR UDC_FILE UDC_NAME tpdu|extended: the virtual KAZTOKEN's CCID device
//! model (tamga-virtual's `VirtualDevice`) as a USB function through FunctionFS.
//!
//! Runs in the QEMU guest: `run`'s init has made a configfs gadget with an `ffs` function and
//! mounted its FunctionFS at FFS_DIR. This writes the descriptors and strings to `ep0`, binds
//! the gadget to the UDC (dummy_hcd), then moves bytes: bulk OUT (ep3) → `bulk_out`, every reply
//! `bulk_in` has → bulk IN (ep2), interrupt messages → ep1, class requests on ep0.
//!
//! - `tpdu`: a T=1 TPDU reader; key generation takes 300 ms and the card asks for S(WTX) every
//!   100 ms;
//! - `extended`: an extended-APDU reader with 74-byte messages (64 bytes of data: chaining
//!   everywhere); key generation takes 2 s with a CCID time extension every 250 ms.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use tamga_ccid::{Transport, TransportError};
use tamga_qemu_ccid::ffs::{self, Event, Setup, EVENT_LEN, HS_BULK_PACKET};
use tamga_virtual::device::{DeviceConfig, VirtualDevice};
use tamga_virtual::{CardConfig, VirtualCard};

/// The largest message the model sends: an extended APDU's worth and the header.
const MAX_MESSAGE: usize = 65_544 + 10;
/// How long a reply may keep the bulk loop waiting (key generation sleeps inside `bulk_in`).
const REPLY_WAIT: Duration = Duration::from_secs(120);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, udc_file, udc, mode] = args.as_slice() else {
        eprintln!("usage: ccid-gadget FFS_DIR UDC_FILE UDC_NAME tpdu|extended");
        return ExitCode::from(2);
    };
    let (device, card) = match mode.as_str() {
        "tpdu" => (
            DeviceConfig::default()
                .tpdu()
                .time_extension_interval(Duration::from_millis(100)),
            CardConfig::default().with_keygen_delay(Duration::from_millis(300)),
        ),
        "extended" => (
            DeviceConfig::default()
                .extended_apdu(74)
                .time_extension_interval(Duration::from_millis(250)),
            CardConfig::default().with_keygen_delay(Duration::from_secs(2)),
        ),
        _ => {
            eprintln!("ccid-gadget: unknown mode {mode}");
            return ExitCode::from(2);
        }
    };
    let device = VirtualDevice::new(VirtualCard::new(card), device);
    match serve(Path::new(dir), Path::new(udc_file), udc, device) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ccid-gadget {dir}: {e}");
            ExitCode::FAILURE
        }
    }
}

fn serve(dir: &Path, udc_file: &Path, udc: &str, device: VirtualDevice) -> std::io::Result<()> {
    let mut ep0 = OpenOptions::new()
        .read(true)
        .write(true)
        .open(dir.join("ep0"))?;
    // Each blob must be one write.
    ep0.write_all(&ffs::descriptors(device.class_descriptor()))?;
    ep0.write_all(&ffs::strings("KAZTOKEN virtual CCID"))?;
    // Only now may the gadget bind: every function of the configuration is ready.
    bind(udc_file, udc)?;
    eprintln!("ccid-gadget {}: bound to {udc}", dir.display());
    let mut started = false;
    let mut events = [0u8; EVENT_LEN * 4];
    loop {
        let n = ep0.read(&mut events)?;
        for raw in events.get(..n).unwrap_or_default().chunks_exact(EVENT_LEN) {
            match Event::parse(raw) {
                Some(Event::Enable) if !started => {
                    started = true;
                    spawn_pipes(dir.to_path_buf(), &device);
                }
                Some(Event::Setup(setup)) => control(&mut ep0, &mut device.port(), setup)?,
                Some(Event::Unbind) => {
                    eprintln!("ccid-gadget {}: unbound", dir.display());
                    return Ok(());
                }
                _ => {}
            }
        }
    }
}

/// Writes the UDC's name to the gadget's UDC file, retrying while dummy_hcd's UDC appears.
fn bind(udc_file: &Path, udc: &str) -> std::io::Result<()> {
    let mut tries = 0;
    loop {
        match std::fs::write(udc_file, udc) {
            Ok(()) => return Ok(()),
            Err(e) if tries < 50 => {
                tries += 1;
                log_retry(udc, &e, tries);
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) => return Err(e),
        }
    }
}

fn log_retry(udc: &str, e: &std::io::Error, tries: u32) {
    if tries == 1 {
        eprintln!("ccid-gadget: binding to {udc}: {e}; retrying");
    }
}

/// The bulk and interrupt pipes, each in its own thread.
fn spawn_pipes(dir: PathBuf, device: &VirtualDevice) {
    let bulk = device.port();
    let d = dir.clone();
    std::thread::spawn(move || {
        if let Err(e) = bulk_loop(&d, bulk) {
            eprintln!("ccid-gadget {}: bulk pipe: {e}", d.display());
        }
    });
    let interrupt = device.port();
    std::thread::spawn(move || {
        if let Err(e) = interrupt_loop(&dir, interrupt) {
            eprintln!("ccid-gadget {}: interrupt pipe: {e}", dir.display());
        }
    });
}

/// Reassembles PC_to_RDR messages from packets (by their dwLength: a message that ends on a
/// packet boundary has no short packet to end the read), then sends every reply.
fn bulk_loop(dir: &Path, mut device: VirtualDevice) -> std::io::Result<()> {
    let mut ep_out = File::open(dir.join("ep3"))?;
    let mut ep_in = OpenOptions::new().write(true).open(dir.join("ep2"))?;
    let packet = usize::from(HS_BULK_PACKET);
    let (mut message, mut buf) = (Vec::new(), vec![0u8; packet]);
    let mut reply = vec![0u8; MAX_MESSAGE];
    loop {
        let n = ep_out.read(&mut buf)?;
        message.extend_from_slice(buf.get(..n).unwrap_or_default());
        let Some(len) = message_len(&message) else {
            continue;
        };
        if message.len() < len && n == packet {
            continue;
        }
        // A message shorter than its dwLength ends here all the same: the model judges it.
        let take = len.min(message.len());
        let msg: Vec<u8> = message.drain(..take).collect();
        device
            .bulk_out(&msg, REPLY_WAIT)
            .map_err(std::io::Error::other)?;
        loop {
            match device.bulk_in(&mut reply, REPLY_WAIT) {
                Ok(n) => {
                    ep_in.write_all(reply.get(..n).unwrap_or_default())?;
                    if n % packet == 0 {
                        // End the transfer for a host that asked for more.
                        // A zero-length write is one zero-length packet.
                        let _zlp: usize = ep_in.write(&[])?;
                    }
                }
                Err(TransportError::Timeout) => break,
                Err(e) => return Err(std::io::Error::other(e)),
            }
        }
    }
}

/// Header plus dwLength, once the header is there.
fn message_len(m: &[u8]) -> Option<usize> {
    let len = u32::from_le_bytes(m.get(1..5)?.try_into().ok()?);
    Some(usize::try_from(len).ok()?.saturating_add(10))
}

fn interrupt_loop(dir: &Path, mut device: VirtualDevice) -> std::io::Result<()> {
    let mut ep = OpenOptions::new().write(true).open(dir.join("ep1"))?;
    let mut buf = [0u8; 64];
    loop {
        match device.interrupt_in(&mut buf, Duration::from_secs(1)) {
            Ok(n) => ep.write_all(buf.get(..n).unwrap_or_default())?,
            Err(TransportError::Timeout) => {}
            Err(e) => return Err(std::io::Error::other(e)),
        }
    }
}

/// Class requests to the interface: ABORT (no data), GET_CLOCK_FREQUENCIES / GET_DATA_RATES
/// (data in). Anything else stalls: FunctionFS stalls when the answer goes the wrong way.
fn control(ep0: &mut File, device: &mut VirtualDevice, s: Setup) -> std::io::Result<()> {
    let timeout = Duration::from_secs(1);
    let input = s.request_type & 0x80 != 0;
    let answered = match (s.request_type, input) {
        (0x21, false) if s.length == 0 => device
            .class_request_out(s.request, s.value, timeout)
            .map(|()| {
                // The status stage: a zero-length read acknowledges.
                let _ = ep0.read(&mut []);
            })
            .is_ok(),
        (0xA1, true) => {
            let mut buf = vec![0u8; usize::from(s.length)];
            match device.class_request_in(s.request, s.value, &mut buf, timeout) {
                Ok(n) => {
                    ep0.write_all(buf.get(..n).unwrap_or_default())?;
                    true
                }
                Err(_) => false,
            }
        }
        _ => false,
    };
    if !answered {
        // The opposite direction stalls; its error is the expected outcome.
        let _ = if input {
            ep0.read(&mut []).map(|_| ())
        } else {
            ep0.write(&[]).map(|_| ())
        };
    }
    Ok(())
}
