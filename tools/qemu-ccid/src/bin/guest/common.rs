//! Finding and opening a reader through the nusb backend, as the agent does.

use std::time::{Duration, Instant};

use tamga_ccid::backend::nusb::{list_readers, NusbTransport, UsbReader};
use tamga_ccid::{Card, DeviceFilter};
use tamga_kaztoken::{Kaztoken, KaztokenConfig};

pub type Token = Kaztoken<Card<NusbTransport>>;

/// The reader with this VID:PID, waiting up to 10 s for it to enumerate.
pub fn find(vid_pid: (u16, u16)) -> Result<UsbReader, String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let found = list_readers(&DeviceFilter::devices(&[vid_pid]))
            .map_err(|e| e.to_string())?
            .into_iter()
            .next();
        match found {
            Some(r) => return Ok(r),
            None if Instant::now() > deadline => {
                return Err(format!("no reader {:04x}:{:04x}", vid_pid.0, vid_pid.1))
            }
            None => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

/// Opens the reader and powers the card on.
pub fn card(vid_pid: (u16, u16)) -> Result<Card<NusbTransport>, String> {
    let transport = find(vid_pid)?.open().map_err(|e| e.to_string())?;
    Card::open(transport).map_err(|e| e.to_string())
}

/// The KAZTOKEN driver over a fresh connection.
pub fn token(vid_pid: (u16, u16)) -> Result<Token, String> {
    let card = card(vid_pid)?;
    let atr = card.atr().as_bytes().to_vec();
    Ok(Kaztoken::new(card, KaztokenConfig::default(), &atr))
}

/// The median of some durations, in milliseconds.
pub fn median_ms(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples
        .get(samples.len() / 2)
        .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
}
