//! EIP-2335 password processing.

use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

/// Normalizes a password as EIP-2335 requires: Unicode NFKD, then remove the C0 (U+0000–U+001F)
/// and C1 (U+0080–U+009F) control codes and DEL (U+007F), then UTF-8. Spaces are kept.
pub fn normalize_password(password: &str) -> Zeroizing<Vec<u8>> {
    let normalized: Zeroizing<String> = Zeroizing::new(
        password.nfkd().filter(|c| !matches!(*c as u32, 0x00..=0x1f | 0x7f..=0x9f)).collect(),
    );
    Zeroizing::new(normalized.as_bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_controls_keeps_spaces() {
        assert_eq!(normalize_password("a b\u{7}\u{7f}\u{85}c\n").as_slice(), b"a bc");
    }

    #[test]
    fn nfkd() {
        // U+1D531 MATHEMATICAL FRAKTUR SMALL T decomposes to 't'.
        assert_eq!(normalize_password("\u{1d531}").as_slice(), b"t");
    }
}
