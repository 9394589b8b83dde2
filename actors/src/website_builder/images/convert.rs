//! One picture to a web-ready file: decoded (PNG, JPEG or WebP, within size limits), turned
//! upright by its EXIF orientation, scaled down to a maximum width and encoded as lossy WebP.

use std::io::Cursor;

use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};

/// The widest or tallest picture decoded at all (a bigger one is refused, not shrunk).
pub const MAX_SIDE: u32 = 12_000;
/// Memory a decode may take at most.
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;

/// A WebP file and its size in pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    #[error("not a picture that can be read: {0}")]
    Decode(String),
    #[error("WebP encoding failed: {0}")]
    Encode(String),
}

/// `source` as lossy WebP at `quality` (1–100), no wider than `max_width` (never enlarged).
pub fn to_webp(source: &[u8], max_width: u32, quality: u8) -> Result<Converted, ConvertError> {
    let image = decode(source)?;
    let image = if image.width() > max_width {
        let height = u64::from(image.height()) * u64::from(max_width) / u64::from(image.width());
        let height = u32::try_from(height.max(1)).unwrap_or(u32::MAX);
        image.resize_exact(max_width, height, FilterType::Lanczos3)
    } else {
        image
    };
    let (width, height) = (image.width(), image.height());
    let quality = f32::from(quality.clamp(1, 100));
    let encoded = if image.color().has_alpha() {
        let pixels = image.to_rgba8();
        webp::Encoder::from_rgba(pixels.as_raw(), width, height).encode_simple(false, quality)
    } else {
        let pixels = image.to_rgb8();
        webp::Encoder::from_rgb(pixels.as_raw(), width, height).encode_simple(false, quality)
    }
    .map_err(|error| ConvertError::Encode(format!("{error:?}")))?;
    Ok(Converted {
        bytes: encoded.to_vec(),
        width,
        height,
    })
}

/// The size of an encoded picture from its header, without decoding it.
pub fn dimensions(bytes: &[u8]) -> Result<(u32, u32), ConvertError> {
    ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(decode_error)?
        .into_dimensions()
        .map_err(decode_error)
}

fn decode(source: &[u8]) -> Result<DynamicImage, ConvertError> {
    let mut reader = ImageReader::new(Cursor::new(source))
        .with_guessed_format()
        .map_err(decode_error)?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(decode_error)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(decode_error)?;
    image.apply_orientation(orientation);
    Ok(image)
}

fn decode_error(error: impl std::fmt::Display) -> ConvertError {
    ConvertError::Decode(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};

    fn png(image: DynamicImage) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_wide_photo_is_scaled_down_to_webp() {
        let photo = RgbImage::from_fn(1600, 900, |x, y| {
            Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let source = png(DynamicImage::ImageRgb8(photo));

        let converted = to_webp(&source, 800, 80).unwrap();

        assert_eq!((converted.width, converted.height), (800, 450));
        assert_eq!(&converted.bytes[..4], b"RIFF");
        assert_eq!(&converted.bytes[8..12], b"WEBP");
        assert_eq!(dimensions(&converted.bytes).unwrap(), (800, 450));
        assert!(
            converted.bytes.len() < source.len(),
            "lossy WebP is smaller than the PNG"
        );
    }

    #[test]
    fn small_and_transparent_pictures_keep_their_size_and_alpha() {
        let icon = RgbaImage::from_pixel(40, 30, Rgba([10, 200, 30, 128]));
        let converted = to_webp(&png(DynamicImage::ImageRgba8(icon)), 800, 80).unwrap();

        assert_eq!((converted.width, converted.height), (40, 30));
        let decoded = image::load_from_memory(&converted.bytes).unwrap();
        assert!(decoded.color().has_alpha());
    }

    #[test]
    fn anything_else_is_refused_clearly() {
        for bad in [
            &b"<html>not a picture</html>"[..],
            b"",
            b"\x89PNG\r\n\x1a\nbroken",
        ] {
            assert!(
                matches!(to_webp(bad, 800, 80), Err(ConvertError::Decode(_))),
                "{bad:?}"
            );
        }
    }
}
