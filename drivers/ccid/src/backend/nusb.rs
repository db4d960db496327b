//! The nusb backend: Linux usbfs (and macOS, Windows) in pure Rust.

use std::time::Duration;

use ::nusb::descriptors::TransferType;
use ::nusb::transfer::{
    Buffer, Bulk, ControlIn, ControlOut, ControlType, In, Interrupt, Out, Recipient, TransferError,
};
use ::nusb::{DeviceInfo, Endpoint, Interface, MaybeFuture};

use crate::descriptor::CcidDescriptor;
use crate::{DeviceFilter, Transport, TransportError};

/// A reader interface found on the bus.
#[derive(Debug, Clone)]
pub struct UsbReader {
    info: DeviceInfo,
    interface: u8,
}

impl UsbReader {
    /// idVendor.
    pub fn vendor_id(&self) -> u16 {
        self.info.vendor_id()
    }

    /// idProduct.
    pub fn product_id(&self) -> u16 {
        self.info.product_id()
    }

    /// The interface number.
    pub fn interface(&self) -> u8 {
        self.interface
    }

    /// The product string, if the OS cached it.
    pub fn product(&self) -> Option<&str> {
        self.info.product_string()
    }

    /// The serial number, if the OS cached it.
    pub fn serial_number(&self) -> Option<&str> {
        self.info.serial_number()
    }

    /// Opens the device, claims the interface and its endpoints.
    pub fn open(&self) -> Result<NusbTransport, TransportError> {
        let device = self.info.open().wait().map_err(open_error)?;
        let config = device
            .active_configuration()
            .map_err(|e| TransportError::Io(e.to_string()))?;
        let alt = config
            .interface_alt_settings()
            .find(|a| a.interface_number() == self.interface && a.alternate_setting() == 0)
            .ok_or_else(|| TransportError::Io("the interface is gone".into()))?;
        // Everything after the interface descriptor: the class descriptor may follow the endpoints.
        let descriptor = CcidDescriptor::locate(alt.descriptors().as_bytes())
            .ok_or_else(|| TransportError::Io("no CCID class descriptor".into()))?
            .to_vec();
        let (mut bulk_in, mut bulk_out, mut interrupt) = (None, None, None);
        for ep in alt.endpoints() {
            let input = ep.address() & 0x80 != 0;
            match (ep.transfer_type(), input) {
                (TransferType::Bulk, true) => bulk_in = bulk_in.or(Some(ep.address())),
                (TransferType::Bulk, false) => bulk_out = bulk_out.or(Some(ep.address())),
                (TransferType::Interrupt, true) => interrupt = interrupt.or(Some(ep.address())),
                _ => {}
            }
        }
        let (Some(bulk_in), Some(bulk_out)) = (bulk_in, bulk_out) else {
            return Err(TransportError::Io(
                "the interface has no bulk endpoint pair".into(),
            ));
        };
        // CCID interfaces have no kernel driver, but a vendor-class one might.
        let interface = device
            .detach_and_claim_interface(self.interface)
            .wait()
            .map_err(open_error)?;
        let endpoint_error = |e: ::nusb::Error| TransportError::Io(e.to_string());
        Ok(NusbTransport {
            bulk_in: interface
                .endpoint::<Bulk, In>(bulk_in)
                .map_err(endpoint_error)?,
            bulk_out: interface
                .endpoint::<Bulk, Out>(bulk_out)
                .map_err(endpoint_error)?,
            interrupt: match interrupt {
                Some(a) => Some(
                    interface
                        .endpoint::<Interrupt, In>(a)
                        .map_err(endpoint_error)?,
                ),
                None => None,
            },
            interface,
            descriptor,
        })
    }
}

/// Lists the reader interfaces the filter selects.
pub fn list_readers(filter: &DeviceFilter) -> Result<Vec<UsbReader>, TransportError> {
    let devices = ::nusb::list_devices().wait().map_err(open_error)?;
    Ok(devices
        .flat_map(|info| {
            let picked: Vec<u8> = info
                .interfaces()
                .filter(|i| filter.selects(info.vendor_id(), info.product_id(), i.class()))
                .map(|i| i.interface_number())
                .collect();
            picked.into_iter().map(move |interface| UsbReader {
                info: info.clone(),
                interface,
            })
        })
        .collect())
}

/// A claimed CCID interface.
#[derive(Debug)]
pub struct NusbTransport {
    interface: Interface,
    bulk_in: Endpoint<Bulk, In>,
    bulk_out: Endpoint<Bulk, Out>,
    interrupt: Option<Endpoint<Interrupt, In>>,
    descriptor: Vec<u8>,
}

fn open_error(e: ::nusb::Error) -> TransportError {
    match e.kind() {
        ::nusb::ErrorKind::Disconnected => TransportError::Disconnected,
        _ => TransportError::Io(e.to_string()),
    }
}

fn transfer_error(e: TransferError) -> TransportError {
    match e {
        // Transfers are only cancelled when their timeout expires.
        TransferError::Cancelled => TransportError::Timeout,
        TransferError::Stall => TransportError::Stall,
        TransferError::Disconnected => TransportError::Disconnected,
        other => TransportError::Io(other.to_string()),
    }
}

/// usbfs wants IN transfers of whole packets.
fn round_up(len: usize, packet: usize) -> usize {
    let packet = packet.max(1);
    len.max(1).div_ceil(packet) * packet
}

fn copy_in(
    completion: ::nusb::transfer::Completion,
    buf: &mut [u8],
) -> Result<usize, TransportError> {
    completion.status.map_err(transfer_error)?;
    let data = completion
        .buffer
        .get(..completion.actual_len)
        .unwrap_or_default();
    let out = buf
        .get_mut(..data.len())
        .ok_or_else(|| TransportError::Io("the device sent more than asked for".into()))?;
    out.copy_from_slice(data);
    Ok(data.len())
}

impl NusbTransport {
    /// The error of a failed transfer. An unplug in the middle of a transfer ends it with EPROTO
    /// (a "fault") a moment before the kernel reports the device gone — seen on dummy_hcd and
    /// xHCI — so after a fault, ask the device whether it is still there.
    fn fail(&self, e: TransferError) -> TransportError {
        if e == TransferError::Fault && self.gone() {
            return TransportError::Disconnected;
        }
        transfer_error(e)
    }

    /// GET_STATUS to the device, a few times: `Disconnected` means it is gone.
    fn gone(&self) -> bool {
        let probe = ControlIn {
            control_type: ControlType::Standard,
            recipient: Recipient::Device,
            request: 0x00,
            value: 0,
            index: 0,
            length: 2,
        };
        for _ in 0..10 {
            match self
                .interface
                .control_in(probe, Duration::from_millis(100))
                .wait()
            {
                Ok(_) => return false,
                Err(TransferError::Disconnected) => return true,
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        }
        false
    }
}

impl Transport for NusbTransport {
    fn class_descriptor(&self) -> &[u8] {
        &self.descriptor
    }

    fn bulk_out(&mut self, data: &[u8], timeout: Duration) -> Result<(), TransportError> {
        let completion = self
            .bulk_out
            .transfer_blocking(Buffer::from(data.to_vec()), timeout);
        completion.status.map_err(|e| self.fail(e))
    }

    fn bulk_in(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, TransportError> {
        let len = round_up(buf.len(), self.bulk_in.max_packet_size());
        let completion = self.bulk_in.transfer_blocking(Buffer::new(len), timeout);
        match completion.status {
            Err(TransferError::Stall) => {
                let _ = self.bulk_in.clear_halt().wait();
            }
            Err(e @ TransferError::Fault) => return Err(self.fail(e)),
            _ => {}
        }
        copy_in(completion, buf)
    }

    fn interrupt_in(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, TransportError> {
        let Some(ep) = self.interrupt.as_mut() else {
            std::thread::sleep(timeout);
            return Err(TransportError::Timeout);
        };
        // The transfer stays queued across timeouts, so no notification is lost between polls.
        if ep.pending() == 0 {
            let len = round_up(buf.len(), ep.max_packet_size());
            ep.submit(Buffer::new(len));
        }
        match ep.wait_next_complete(timeout) {
            Some(completion) => copy_in(completion, buf),
            None => Err(TransportError::Timeout),
        }
    }

    fn class_request_out(
        &mut self,
        request: u8,
        value: u16,
        timeout: Duration,
    ) -> Result<(), TransportError> {
        let out = ControlOut {
            control_type: ControlType::Class,
            recipient: Recipient::Interface,
            request,
            value,
            index: u16::from(self.interface.interface_number()),
            data: &[],
        };
        self.interface
            .control_out(out, timeout)
            .wait()
            .map_err(transfer_error)
    }

    fn class_request_in(
        &mut self,
        request: u8,
        value: u16,
        buf: &mut [u8],
        timeout: Duration,
    ) -> Result<usize, TransportError> {
        let input = ControlIn {
            control_type: ControlType::Class,
            recipient: Recipient::Interface,
            request,
            value,
            index: u16::from(self.interface.interface_number()),
            length: u16::try_from(buf.len()).unwrap_or(u16::MAX),
        };
        let data = self
            .interface
            .control_in(input, timeout)
            .wait()
            .map_err(transfer_error)?;
        let out = buf
            .get_mut(..data.len())
            .ok_or_else(|| TransportError::Io("the device sent more than asked for".into()))?;
        out.copy_from_slice(&data);
        Ok(data.len())
    }
}
