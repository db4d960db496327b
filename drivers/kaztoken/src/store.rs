//! The `Token` object operations over the two-slot records of `objects`.

use tamga_ccid::ApduChannel;
use tamga_token::{ObjectId, TokenError};

use crate::fcp::{Fcp, FileType};
use crate::kaztoken::Kaztoken;
use crate::objects::{self, Record};

/// One slot as found on the card.
struct Slot {
    fid: u16,
    record: Option<Record>,
}

impl<C: ApduChannel> Kaztoken<C> {
    fn select_objects_df(&mut self) -> Result<(), TokenError> {
        let path = self.config.objects_df.clone();
        if self.card.select_path(&path)? {
            Ok(())
        } else {
            Err(TokenError::Protocol(
                "the objects directory is missing: format the token",
            ))
        }
    }

    /// The slots of `id` that exist, with their records if intact. Leaves the objects DF
    /// current.
    fn slots_of(&mut self, id: ObjectId) -> Result<Vec<Slot>, TokenError> {
        self.select_objects_df()?;
        let mut found = Vec::new();
        for fid in objects::slots(id) {
            let Some(fcp) = self.card.file_info(fid)? else {
                continue;
            };
            let record = if fcp.file_type == FileType::WorkingEf {
                let bytes = self
                    .card
                    .read_binary(usize::from(fcp.size), self.config.max_chunk)?;
                objects::open(&bytes)
            } else {
                None
            };
            found.push(Slot { fid, record });
            // SELECT with FCP made the EF current; the next lookup is again relative to the DF.
            self.select_objects_df()?;
        }
        Ok(found)
    }

    pub(crate) fn read_object_inner(&mut self, id: ObjectId) -> Result<Vec<u8>, TokenError> {
        let slots = self.slots_of(id)?;
        objects::newest(slots.into_iter().filter_map(|s| s.record))
            .map(|r| r.data)
            .ok_or(TokenError::ObjectNotFound(id))
    }

    pub(crate) fn write_object_inner(
        &mut self,
        id: ObjectId,
        data: &[u8],
    ) -> Result<(), TokenError> {
        objects::check_size(data)?;
        let slots = self.slots_of(id)?;
        let current = slots
            .iter()
            .filter_map(|s| s.record.as_ref().map(|r| (s.fid, r.seq)))
            .max_by_key(|&(_, seq)| seq);
        let [first, second] = objects::slots(id);
        let (target, seq) = match current {
            Some((fid, seq)) => (
                if fid == first { second } else { first },
                seq.wrapping_add(1),
            ),
            None => (first, 0),
        };
        // A leftover in the target slot is either older or broken: it goes first.
        self.card.delete_file(target)?;
        let sealed = objects::seal(seq, data);
        self.card.create_file(&Fcp {
            fid: target,
            file_type: FileType::WorkingEf,
            size: objects::sealed_len(data.len()) as u16,
            proprietary: Vec::new(),
        })?;
        self.card.update_binary(&sealed, self.config.max_chunk)?;
        // Only now, with the new record complete, may the old one go.
        self.select_objects_df()?;
        for slot in slots.iter().filter(|s| s.fid != target) {
            self.card.delete_file(slot.fid)?;
        }
        Ok(())
    }

    pub(crate) fn delete_object_inner(&mut self, id: ObjectId) -> Result<(), TokenError> {
        let mut slots = self.slots_of(id)?;
        if slots.iter().all(|s| s.record.is_none()) {
            return Err(TokenError::ObjectNotFound(id));
        }
        // Broken and older records first, the current one last: cut short, the object is either
        // still there with its latest content or gone, never back to an older content.
        slots.sort_by_key(|s| s.record.as_ref().map(|r| i64::from(r.seq)).unwrap_or(-1));
        for slot in &slots {
            self.card.delete_file(slot.fid)?;
        }
        Ok(())
    }

    pub(crate) fn list_objects_inner(&mut self) -> Result<Vec<ObjectId>, TokenError> {
        self.select_objects_df()?;
        let mut ids: Vec<ObjectId> = self
            .card
            .list_children()?
            .into_iter()
            .filter_map(objects::object_of)
            .collect();
        ids.sort();
        ids.dedup();
        // Only objects with an intact record exist for the caller.
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if self.slots_of(id)?.iter().any(|s| s.record.is_some()) {
                out.push(id);
            }
        }
        Ok(out)
    }
}
