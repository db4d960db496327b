//! The rusb backend: libusb-1.0, for platforms nusb does not cover.

use std::time::Duration;

use ::rusb::{
    Device, DeviceHandle, Direction, GlobalContext, Recipient, RequestType, TransferType,
    UsbContext,
};

use crate::descriptor::CcidDescriptor;
use crate::{DeviceFilter, Transport, TransportError};

/// A reader interface found on the bus.
#[derive(Debug, Clone)]
pub struct UsbReader {
    device: Device<GlobalContext>,
    vendor_id: u16,
    product_id: u16,
    interface: u8,
}

/// Lists the reader interfaces the filter selects.
pub fn list_readers(filter: &DeviceFilter) -> Result<Vec<UsbReader>, TransportError> {
    let mut found = Vec::new();
    for device in GlobalContext::default()
        .devices()
        .map_err(usb_error)?
        .iter()
    {
        let Ok(dd) = device.device_descriptor() else {
            continue;
        };
        let Ok(config) = device.active_config_descriptor() else {
            continue;
        };
        for interface in config.interfaces() {
            let selected = interface.descriptors().next().is_some_and(|alt| {
                filter.selects(dd.vendor_id(), dd.product_id(), alt.class_code())
            });
            if selected {
                found.push(UsbReader {
                    device: device.clone(),
                    vendor_id: dd.vendor_id(),
                    product_id: dd.product_id(),
                    interface: interface.number(),
                });
            }
        }
    }
    Ok(found)
}

impl UsbReader {
    /// idVendor.
    pub fn vendor_id(&self) -> u16 {
        self.vendor_id
    }

    /// idProduct.
    pub fn product_id(&self) -> u16 {
        self.product_id
    }

    /// The interface number.
    pub fn interface(&self) -> u8 {
        self.interface
    }

    /// Opens the device, claims the interface and finds its endpoints.
    pub fn open(&self) -> Result<RusbTransport, TransportError> {
        let config = self.device.active_config_descriptor().map_err(usb_error)?;
        let alt = config
            .interfaces()
            .find(|i| i.number() == self.interface)
            .and_then(|i| i.descriptors().next())
            .ok_or_else(|| TransportError::Io("the interface is gone".into()))?;
        // libusb files a descriptor that follows an endpoint under that endpoint's extra bytes,
        // which is where some readers (O2Micro, Reiner SCT) put the class descriptor.
        let endpoints: Vec<_> = alt.endpoint_descriptors().collect();
        let descriptor = std::iter::once(alt.extra())
            .chain(endpoints.iter().filter_map(|ep| ep.extra()))
            .find_map(CcidDescriptor::locate)
            .ok_or_else(|| TransportError::Io("no CCID class descriptor".into()))?
            .to_vec();
        let (mut bulk_in, mut bulk_out, mut interrupt) = (None, None, None);
        for ep in &endpoints {
            let packet = usize::from(ep.max_packet_size() & 0x7FF);
            let pipe = Some((ep.address(), packet));
            match (ep.transfer_type(), ep.direction()) {
                (TransferType::Bulk, Direction::In) => bulk_in = bulk_in.or(pipe),
                (TransferType::Bulk, Direction::Out) => bulk_out = bulk_out.or(pipe),
                (TransferType::Interrupt, Direction::In) => interrupt = interrupt.or(pipe),
                _ => {}
            }
        }
        let (Some(bulk_in), Some((bulk_out, _))) = (bulk_in, bulk_out) else {
            return Err(TransportError::Io(
                "the interface has no bulk endpoint pair".into(),
            ));
        };
        let handle = self.device.open().map_err(usb_error)?;
        // Not every platform can detach drivers; CCID interfaces normally have none.
        let _ = handle.set_auto_detach_kernel_driver(true);
        handle.claim_interface(self.interface).map_err(usb_error)?;
        Ok(RusbTransport {
            handle,
            interface: self.interface,
            bulk_in,
            bulk_out,
            interrupt,
            descriptor,
        })
    }
}

/// A claimed CCID interface.
#[derive(Debug)]
pub struct RusbTransport {
    handle: DeviceHandle<GlobalContext>,
    interface: u8,
    /// (address, max packet size).
    bulk_in: (u8, usize),
    bulk_out: u8,
    interrupt: Option<(u8, usize)>,
    descriptor: Vec<u8>,
}

fn usb_error(e: ::rusb::Error) -> TransportError {
    match e {
        ::rusb::Error::Timeout => TransportError::Timeout,
        ::rusb::Error::NoDevice => TransportError::Disconnected,
        ::rusb::Error::Pipe => TransportError::Stall,
        other => TransportError::Io(other.to_string()),
    }
}

/// Reads one IN transfer of whole packets into `buf`.
fn read_packets(
    read: impl FnOnce(&mut [u8]) -> ::rusb::Result<usize>,
    packet: usize,
    buf: &mut [u8],
) -> Result<usize, TransportError> {
    let packet = packet.max(1);
    let mut whole = vec![0u8; buf.len().max(1).div_ceil(packet) * packet];
    let n = read(&mut whole).map_err(usb_error)?;
    let data = whole.get(..n).unwrap_or_default();
    let out = buf
        .get_mut(..n)
        .ok_or_else(|| TransportError::Io("the device sent more than asked for".into()))?;
    out.copy_from_slice(data);
    Ok(n)
}

impl Transport for RusbTransport {
    fn class_descriptor(&self) -> &[u8] {
        &self.descriptor
    }

    fn bulk_out(&mut self, data: &[u8], timeout: Duration) -> Result<(), TransportError> {
        let n = self
            .handle
            .write_bulk(self.bulk_out, data, timeout)
            .map_err(usb_error)?;
        if n != data.len() {
            return Err(TransportError::Timeout);
        }
        Ok(())
    }

    fn bulk_in(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, TransportError> {
        let (address, packet) = self.bulk_in;
        let result = read_packets(|b| self.handle.read_bulk(address, b, timeout), packet, buf);
        if result == Err(TransportError::Stall) {
            let _ = self.handle.clear_halt(address);
        }
        result
    }

    fn interrupt_in(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, TransportError> {
        let Some((address, packet)) = self.interrupt else {
            std::thread::sleep(timeout);
            return Err(TransportError::Timeout);
        };
        read_packets(
            |b| self.handle.read_interrupt(address, b, timeout),
            packet,
            buf,
        )
    }

    fn class_request_out(
        &mut self,
        request: u8,
        value: u16,
        timeout: Duration,
    ) -> Result<(), TransportError> {
        let kind = ::rusb::request_type(Direction::Out, RequestType::Class, Recipient::Interface);
        self.handle
            .write_control(
                kind,
                request,
                value,
                u16::from(self.interface),
                &[],
                timeout,
            )
            .map(|_| ())
            .map_err(usb_error)
    }

    fn class_request_in(
        &mut self,
        request: u8,
        value: u16,
        buf: &mut [u8],
        timeout: Duration,
    ) -> Result<usize, TransportError> {
        let kind = ::rusb::request_type(Direction::In, RequestType::Class, Recipient::Interface);
        self.handle
            .read_control(
                kind,
                request,
                value,
                u16::from(self.interface),
                buf,
                timeout,
            )
            .map_err(usb_error)
    }
}
