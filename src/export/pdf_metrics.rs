//! Text metrics for the PDF export: WinAnsi (CP1252) encoding and the glyph widths of the
//! standard Helvetica and Helvetica-Bold fonts, from Adobe's Core 14 AFM files (version
//! 003.001), in thousandths of the font size, for the WinAnsi codes 32 to 255 (0 where the
//! encoding has no glyph).

/// The Unicode characters of the CP1252 codes 0x80 to 0x9F (0 where the code is unused).
#[rustfmt::skip]
const CP1252_HIGH: [u16; 32] = [
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, // 0x80
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0, // 0x88
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, // 0x90
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178, // 0x98
];

/// The WinAnsi byte of `ch`, or `None` when CP1252 cannot show it (control characters
/// included).
pub fn winansi_byte(ch: char) -> Option<u8> {
    let code = u32::from(ch);
    match code {
        0x20..=0x7E | 0xA0..=0xFF => u8::try_from(code).ok(),
        _ => CP1252_HIGH
            .iter()
            .position(|&c| c != 0 && u32::from(c) == code)
            .and_then(|i| u8::try_from(0x80 + i).ok()),
    }
}

/// `text` as WinAnsi bytes: tabs and line breaks become spaces, anything else CP1252 lacks
/// becomes `?`.
pub fn encode_winansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|ch| match ch {
            '\t' | '\n' | '\r' => b' ',
            _ => winansi_byte(ch).unwrap_or(b'?'),
        })
        .collect()
}

/// The advance width of one WinAnsi byte in thousandths of the font size.
pub fn glyph_width(bold: bool, byte: u8) -> u16 {
    let table = if bold { &HELVETICA_BOLD } else { &HELVETICA };
    usize::from(byte)
        .checked_sub(32)
        .and_then(|i| table.get(i))
        .copied()
        .unwrap_or(0)
}

/// The width in points of WinAnsi `bytes` set at `size` points.
pub fn bytes_width(bold: bool, bytes: &[u8], size: f32) -> f32 {
    let units: u32 = bytes.iter().map(|&b| u32::from(glyph_width(bold, b))).sum();
    units as f32 * size / 1000.0
}

/// Helvetica: widths of the WinAnsi codes 32 to 255.
#[rustfmt::skip]
const HELVETICA: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // 0x20
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0x30
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // 0x40
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // 0x50
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // 0x60
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0, // 0x70
    556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, // 0x80
    0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667, // 0x90
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333, // 0xA0
    400, 584, 333, 333, 333, 578, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611, // 0xB0
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, // 0xC0
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, // 0xD0
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278, // 0xE0
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500, // 0xF0
];
/// Helvetica-Bold: widths of the WinAnsi codes 32 to 255.
#[rustfmt::skip]
const HELVETICA_BOLD: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, // 0x20
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, // 0x30
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, // 0x40
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, // 0x50
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, // 0x60
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0, // 0x70
    556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, // 0x80
    0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667, // 0x90
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333, // 0xA0
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611, // 0xB0
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, // 0xC0
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, // 0xD0
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278, // 0xE0
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556, // 0xF0
];
