//! vscard-server PORT: serves the virtual KAZTOKEN (as a T=0 card) to QEMU's
//! `ccid-card-passthru` over VSCard. QEMU connects to 127.0.0.1:PORT as a client
//! (`-chardev socket,...,nodelay=on`); one connection, then the server exits.
//!
//! Test control: the APDU of [`tamga_qemu_ccid::remove_command`] pulls the card out and puts it
//! back on a timer, so the guest sees NotifySlotChange on the real interrupt endpoint.

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use tamga_qemu_ccid::parse_remove_command;
use tamga_qemu_ccid::t0card::{t0_atr, T0Card};
use tamga_qemu_ccid::vscard::{self, kind, split_frame, Message};
use tamga_virtual::{CardConfig, VirtualCard};

/// The only reader QEMU's passthru card has.
const READER: u32 = 0;

fn main() -> ExitCode {
    let Some(port) = std::env::args().nth(1).and_then(|p| p.parse::<u16>().ok()) else {
        eprintln!("usage: vscard-server PORT");
        return ExitCode::from(2);
    };
    match run(port) {
        Ok(apdus) => {
            eprintln!("vscard-server: QEMU closed the connection after {apdus} APDUs");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("vscard-server: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A pending removal and re-insertion.
#[derive(Clone, Copy, Debug)]
enum Plan {
    Remove { at: Instant, insert_after: Duration },
    Insert { at: Instant },
}

fn run(port: u16) -> Result<u64, Box<dyn std::error::Error>> {
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    eprintln!("vscard-server: listening on 127.0.0.1:{port}");
    let (mut s, _) = listener.accept()?;
    // QEMU writes header and payload separately: without NODELAY on both ends every APDU waits
    // for the peer's delayed ACK (~40 ms).
    s.set_nodelay(true)?;
    let mut card = T0Card::new(VirtualCard::new(CardConfig::default()));
    card.power_on();
    s.write_all(&vscard::init())?;
    s.write_all(&vscard::encode(
        kind::READER_ADD,
        READER,
        b"KAZTOKEN virtual",
    ))?;
    s.write_all(&vscard::encode(kind::ATR, READER, &t0_atr()))?;

    let (mut buf, mut chunk) = (Vec::new(), vec![0u8; 16 * 1024]);
    let (mut apdus, mut plan) = (0u64, None::<Plan>);
    loop {
        plan = step_plan(&mut s, &mut card, plan)?;
        s.set_read_timeout(plan.map(|_| Duration::from_millis(10)))?;
        let n = match s.read(&mut chunk) {
            Ok(0) => return Ok(apdus),
            Ok(n) => n,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => continue,
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return Ok(apdus),
            Err(e) => return Err(e.into()),
        };
        buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
        while let Some((frame, used)) = split_frame(&buf)? {
            match frame.message()? {
                Message::Apdu(apdu) => {
                    apdus += 1;
                    let answer = match parse_remove_command(apdu) {
                        Some((remove, insert)) => {
                            plan = Some(Plan::Remove {
                                at: Instant::now() + ms(remove),
                                insert_after: ms(insert),
                            });
                            vec![0x90, 0x00]
                        }
                        None => card.process(apdu),
                    };
                    s.write_all(&vscard::encode(kind::APDU, frame.reader_id, &answer))?;
                }
                Message::Flush => {
                    s.write_all(&vscard::encode(kind::FLUSH_COMPLETE, frame.reader_id, &[]))?
                }
                Message::Init { version, .. } => eprintln!("vscard-server: QEMU Init v{version}"),
                Message::Error(0) => {}
                Message::Error(code) => eprintln!("vscard-server: QEMU reports error {code}"),
                Message::Other(k) => eprintln!("vscard-server: ignoring message type {k}"),
            }
            buf.drain(..used);
        }
    }
}

fn ms(n: u16) -> Duration {
    Duration::from_millis(u64::from(n))
}

/// Fires a due removal or insertion.
fn step_plan(
    s: &mut TcpStream,
    card: &mut T0Card,
    plan: Option<Plan>,
) -> std::io::Result<Option<Plan>> {
    let now = Instant::now();
    Ok(match plan {
        Some(Plan::Remove { at, insert_after }) if now >= at => {
            eprintln!("vscard-server: card removed");
            s.write_all(&vscard::encode(kind::CARD_REMOVE, READER, &[]))?;
            Some(Plan::Insert {
                at: now + insert_after,
            })
        }
        Some(Plan::Insert { at }) if now >= at => {
            eprintln!("vscard-server: card inserted");
            card.power_on();
            s.write_all(&vscard::encode(kind::ATR, READER, &t0_atr()))?;
            None
        }
        other => other,
    })
}
