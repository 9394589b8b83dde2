//! A streaming UTF-16 to UTF-8 transcoder: Keyword Planner and Ahrefs export UTF-16 for Excel.

use std::io::{self, Read};

const CHUNK: usize = 8 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endian {
    Little,
    Big,
}

/// Reads UTF-16 from `inner` and yields it as UTF-8, holding at most a chunk of each.
pub(crate) struct Utf16Reader<R> {
    inner: R,
    endian: Endian,
    /// A byte read without its partner yet.
    odd_byte: Option<u8>,
    /// A high surrogate waiting for its low half.
    high_surrogate: Option<u16>,
    out: Vec<u8>,
    out_pos: usize,
    input: Vec<u8>,
}

impl<R: Read> Utf16Reader<R> {
    pub(crate) fn new(inner: R, endian: Endian) -> Self {
        Self {
            inner,
            endian,
            odd_byte: None,
            high_surrogate: None,
            out: Vec::with_capacity(CHUNK * 2),
            out_pos: 0,
            input: vec![0; CHUNK],
        }
    }

    /// Refills `out` from the next chunk of input; `false` at the end of the input.
    fn refill(&mut self) -> io::Result<bool> {
        self.out.clear();
        self.out_pos = 0;
        let read = self.inner.read(&mut self.input)?;
        if read == 0 {
            if self.odd_byte.is_some() || self.high_surrogate.is_some() {
                return Err(invalid("UTF-16 input ends in the middle of a character"));
            }
            return Ok(false);
        }
        // Taken out for the loop, which pushes into `self`; put back so its allocation is reused.
        let input = std::mem::take(&mut self.input);
        let mut bytes = self
            .odd_byte
            .take()
            .into_iter()
            .chain(input[..read].iter().copied());
        let mut outcome = Ok(true);
        while let Some(first) = bytes.next() {
            let Some(second) = bytes.next() else {
                self.odd_byte = Some(first);
                break;
            };
            let unit = match self.endian {
                Endian::Little => u16::from_le_bytes([first, second]),
                Endian::Big => u16::from_be_bytes([first, second]),
            };
            if let Err(error) = self.push_unit(unit) {
                outcome = Err(error);
                break;
            }
        }
        self.input = input;
        outcome
    }

    fn push_unit(&mut self, unit: u16) -> io::Result<()> {
        if self.high_surrogate.is_none() && (0xd800..0xdc00).contains(&unit) {
            self.high_surrogate = Some(unit);
            return Ok(());
        }
        let pending = self.high_surrogate.take();
        for decoded in char::decode_utf16(pending.into_iter().chain([unit])) {
            let c = decoded.map_err(|_| invalid("invalid UTF-16 surrogate"))?;
            let mut buf = [0; 4];
            self.out
                .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
        Ok(())
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_pos == self.out.len() {
            if !self.refill()? {
                return Ok(0);
            }
        }
        let available = &self.out[self.out_pos..];
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.out_pos += n;
        Ok(n)
    }
}

fn invalid(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out one byte per read, so characters and surrogate pairs straddle every boundary.
    struct Trickle(Vec<u8>, usize);

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match (self.0.get(self.1), buf.first_mut()) {
                (Some(&byte), Some(slot)) => {
                    *slot = byte;
                    self.1 += 1;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    fn le(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    #[test]
    fn characters_split_across_reads_are_reassembled() {
        let text = "a😀ß€\n";
        let mut out = String::new();
        Utf16Reader::new(Trickle(le(text), 0), Endian::Little)
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, text);
    }

    #[test]
    fn lone_surrogates_and_odd_lengths_are_errors() {
        let mut lone = le("a");
        lone.extend(0xdc00u16.to_le_bytes());
        let mut out = String::new();
        assert!(
            Utf16Reader::new(&lone[..], Endian::Little)
                .read_to_string(&mut out)
                .is_err()
        );
        let mut odd = le("ab");
        odd.pop();
        assert!(
            Utf16Reader::new(&odd[..], Endian::Little)
                .read_to_string(&mut String::new())
                .is_err()
        );
        let mut unpaired = le("a");
        unpaired.extend(0xd83du16.to_le_bytes());
        assert!(
            Utf16Reader::new(&unpaired[..], Endian::Little)
                .read_to_string(&mut String::new())
                .is_err()
        );
    }
}
