//! Turns the raw bytes of an import into a UTF-8 stream: gunzips (detected by the magic bytes, all
//! members), drops a UTF-8 byte-order mark and transcodes UTF-16, all without buffering the file.

use std::io::{self, Cursor, Read};

use flate2::read::MultiGzDecoder;

use super::utf16::{Endian, Utf16Reader};

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const UTF8_BOM: [u8; 3] = [0xef, 0xbb, 0xbf];

/// A decoded import, read once from the start.
pub(crate) type Stream = Box<dyn Read + Send>;

/// The UTF-8 bytes of `input`, whatever compression and encoding it came in.
pub(crate) fn decode<R: Read + Send + 'static>(mut input: R) -> io::Result<Stream> {
    let head = peek(&mut input, GZIP_MAGIC.len())?;
    let plain: Stream = if head == GZIP_MAGIC {
        // Concatenated gzip members are one file to `gzip -d`; GzDecoder would stop after the first.
        Box::new(MultiGzDecoder::new(Cursor::new(head).chain(input)))
    } else {
        Box::new(Cursor::new(head).chain(input))
    };
    unmark(plain)
}

/// Reads up to `n` bytes, fewer only at the end of the input.
pub(crate) fn peek(reader: &mut impl Read, n: usize) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(n);
    reader.take(n as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// Removes a byte-order mark and transcodes UTF-16. Text without a mark is UTF-8, unless a NUL
/// byte next to a non-NUL one gives UTF-16 away (no CSV has NULs in UTF-8).
fn unmark(mut stream: Stream) -> io::Result<Stream> {
    let head = peek(&mut stream, UTF8_BOM.len())?;
    let (skip, endian) = match head.as_slice() {
        [0xef, 0xbb, 0xbf] => return Ok(stream),
        [0xff, 0xfe, ..] => (2, Endian::Little),
        [0xfe, 0xff, ..] => (2, Endian::Big),
        [first, 0, ..] if *first != 0 => (0, Endian::Little),
        [0, second, ..] if *second != 0 => (0, Endian::Big),
        _ => return Ok(Box::new(Cursor::new(head).chain(stream))),
    };
    let rest = head[skip..].to_vec();
    Ok(Box::new(Utf16Reader::new(
        Cursor::new(rest).chain(stream),
        endian,
    )))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::Compression;
    use flate2::write::GzEncoder;

    use super::*;

    fn decoded(bytes: Vec<u8>) -> String {
        let mut text = String::new();
        decode(Cursor::new(bytes))
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    }

    fn gzip(text: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(text).unwrap();
        encoder.finish().unwrap()
    }

    fn utf16(text: &str, endian: Endian, bom: bool) -> Vec<u8> {
        let mut bytes = Vec::new();
        let units = bom.then_some(0xfeff).into_iter().chain(text.encode_utf16());
        for unit in units {
            match endian {
                Endian::Little => bytes.extend(unit.to_le_bytes()),
                Endian::Big => bytes.extend(unit.to_be_bytes()),
            }
        }
        bytes
    }

    #[test]
    fn plain_utf8_passes_through_and_its_bom_is_dropped() {
        assert_eq!(decoded(b"a,b\n".to_vec()), "a,b\n");
        assert_eq!(decoded(b"\xef\xbb\xbfa,b\n".to_vec()), "a,b\n");
        assert_eq!(decoded(Vec::new()), "");
        assert_eq!(decoded(b"x".to_vec()), "x");
    }

    #[test]
    fn gzip_is_detected_by_magic_bytes_including_several_members() {
        assert_eq!(decoded(gzip("größe,1\n".as_bytes())), "größe,1\n");
        let mut two = gzip(b"first\n");
        two.extend(gzip(b"second\n"));
        assert_eq!(decoded(two), "first\nsecond\n");
    }

    #[test]
    fn utf16_with_or_without_a_mark_becomes_utf8() {
        let text = "Keyword\tVolume\nschuhe größe\t10\n😀\t1\n";
        assert_eq!(decoded(utf16(text, Endian::Little, true)), text);
        assert_eq!(decoded(utf16(text, Endian::Big, true)), text);
        assert_eq!(decoded(utf16(text, Endian::Little, false)), text);
        assert_eq!(decoded(gzip(&utf16(text, Endian::Little, true))), text);
    }

    #[test]
    fn a_broken_gzip_is_an_error_not_silence() {
        let mut truncated = gzip(b"keyword,volume\nshoes,10\n");
        truncated.truncate(truncated.len() - 6);
        let mut text = String::new();
        let result = decode(Cursor::new(truncated))
            .unwrap()
            .read_to_string(&mut text);
        assert!(result.is_err());
    }
}
