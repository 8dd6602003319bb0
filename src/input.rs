//! What comes from outside, read defensively: files read with a bound on their size whatever the file system says
//! about it, and text made safe to show on a terminal.
//!
//! [`read_limited`] is the one way `ceasefire` reads a file it did not just write (a scenario, a results folder's
//! tables): it refuses anything that is not a regular file before opening it, so a named pipe cannot block the
//! program and a device such as `/dev/zero` cannot fill its memory, and it reads at most the limit plus one byte, so
//! a file that grows while it is read (or whose size the file system misreports) is still refused.
//! [`visible`] escapes the control characters of a text before it reaches a terminal.

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Why a file could not be read. Its `Display` is the reason alone ("it is a directory, not a file"); the caller
/// names the file: `cannot read scenario `x.toml`: it is a directory, not a file`.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("no such file")]
    NotFound,

    /// A symbolic link that leads back to itself (or a chain of links too long to follow).
    #[error(
        "it is a symbolic link that loops (it leads back to itself, directly or through other links)"
    )]
    SymlinkLoop,

    /// A symbolic link whose target does not exist.
    #[error("it is a symbolic link to `{}`, which does not exist", target.display())]
    DanglingSymlink { target: std::path::PathBuf },

    #[error("it is a directory, not a file")]
    Directory,

    /// A named pipe, a device, a socket: something whose reading may block or never end.
    #[error("it is {what}, not a regular file; save its contents to a file and give that file")]
    NotRegular { what: &'static str },

    /// Larger than the limit: `size` is the size the file system reports, when that is what showed it.
    #[error("{}", too_large(*size, *max))]
    TooLarge { size: Option<u64>, max: u64 },

    #[error("the file is not valid UTF-8 text (at byte {valid_up_to}); save it as UTF-8")]
    NotUtf8 {
        /// How many bytes at the start are valid UTF-8.
        valid_up_to: usize,
        /// The bytes read, for a caller that shows where the fault is.
        bytes: Vec<u8>,
    },

    #[error("{0}")]
    Io(#[source] io::Error),
}

fn too_large(size: Option<u64>, max: u64) -> String {
    match size {
        Some(size) => format!("the file is {size} bytes; the limit is {max} bytes"),
        None => format!("the file is larger than the limit of {max} bytes"),
    }
}

/// Read the whole of the regular file at `path`, at most `max_bytes` of it.
///
/// Refuses, before opening it, anything that is not a regular file (a directory, a named pipe, a device, a
/// socket), so opening never blocks; follows symbolic links, and tells a loop or a dangling link apart from a missing
/// file. Reads at most `max_bytes + 1` bytes whatever size the file reports, and returns
/// [`InputError::TooLarge`] if there are more than `max_bytes`.
pub fn read_limited(path: &Path, max_bytes: u64) -> Result<Vec<u8>, InputError> {
    let meta = std::fs::metadata(path).map_err(|e| not_readable(path, e))?;
    check_kind(&meta)?;
    if meta.len() > max_bytes {
        return Err(InputError::TooLarge {
            size: Some(meta.len()),
            max: max_bytes,
        });
    }
    let file = File::open(path).map_err(|e| not_readable(path, e))?;
    // The path may have been replaced between the two looks; judge what was opened.
    check_kind(&file.metadata().map_err(InputError::Io)?)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(InputError::Io)?;
    if bytes.len() as u64 > max_bytes {
        return Err(InputError::TooLarge {
            size: None,
            max: max_bytes,
        });
    }
    Ok(bytes)
}

/// [`read_limited`], as UTF-8 text ([`InputError::NotUtf8`] otherwise).
pub fn read_limited_text(path: &Path, max_bytes: u64) -> Result<String, InputError> {
    String::from_utf8(read_limited(path, max_bytes)?).map_err(|e| InputError::NotUtf8 {
        valid_up_to: e.utf8_error().valid_up_to(),
        bytes: e.into_bytes(),
    })
}

/// Whether something exists at `path`, a broken or looping symbolic link included (unlike [`Path::exists`]).
pub fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

fn check_kind(meta: &std::fs::Metadata) -> Result<(), InputError> {
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(());
    }
    if kind.is_dir() {
        return Err(InputError::Directory);
    }
    Err(InputError::NotRegular {
        what: special_kind(&kind),
    })
}

#[cfg(unix)]
fn special_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_kind: &std::fs::FileType) -> &'static str {
    "a special file"
}

/// The reason `path` cannot be looked at or opened, telling a symbolic link loop and a dangling link apart from a
/// missing file.
fn not_readable(path: &Path, e: io::Error) -> InputError {
    if is_loop(&e) {
        return InputError::SymlinkLoop;
    }
    if e.kind() == io::ErrorKind::NotFound {
        if let Ok(target) = std::fs::read_link(path) {
            return InputError::DanglingSymlink { target };
        }
        return InputError::NotFound;
    }
    InputError::Io(e)
}

/// ELOOP, "too many levels of symbolic links". std decodes it as `ErrorKind::FilesystemLoop`, which cannot be named
/// on stable Rust yet (feature `io_error_more`), so the kind is recognised by its name.
fn is_loop(e: &io::Error) -> bool {
    format!("{:?}", e.kind()) == "FilesystemLoop"
}

/// A control character: C0 (U+0000–U+001F), DEL (U+007F) or C1 (U+0080–U+009F). A terminal acts on them (ESC
/// starts an escape sequence, BEL rings) and most are not allowed in XML, so an SVG holding one is invalid.
pub fn is_control(c: char) -> bool {
    c.is_control()
}

/// The first control character of `text` other than those `allowed`, with its position in characters (from 0).
/// A carriage return counts as allowed when `allowed` has `\n` and it begins a `\r\n` line end.
pub fn first_control(text: &str, allowed: &[char]) -> Option<(usize, char)> {
    let mut chars = text.chars().enumerate().peekable();
    while let Some((i, c)) = chars.next() {
        if !is_control(c) || allowed.contains(&c) {
            continue;
        }
        if c == '\r' && allowed.contains(&'\n') && chars.peek().is_some_and(|(_, n)| *n == '\n') {
            continue;
        }
        return Some((i, c));
    }
    None
}

/// A character as messages name it: `U+001B (escape)`, `U+0007 (bell)`.
pub fn char_name(c: char) -> String {
    let name = match c {
        '\0' => "null",
        '\u{7}' => "bell",
        '\u{8}' => "backspace",
        '\t' => "tab",
        '\n' => "line feed",
        '\u{b}' => "vertical tab",
        '\u{c}' => "form feed",
        '\r' => "carriage return",
        '\u{1b}' => "escape",
        '\u{7f}' => "delete",
        '\u{85}' => "next line",
        '\u{9b}' => "control sequence introducer",
        _ if is_control(c) => "a control character",
        _ => "",
    };
    if name.is_empty() {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("U+{:04X} ({name})", u32::from(c))
    }
}

/// `text` with every control character but newline and tab written as an escape (`\u{1b}`), so that it can be
/// printed: a message quoting a hostile file cannot move the cursor, recolour the terminal or ring its bell.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text
        .chars()
        .any(|c| is_control(c) && c != '\n' && c != '\t')
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_control(c) && c != '\n' && c != '\t' {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One line of a file as shown under a message, with each control character (tab included) replaced by one
/// visible character (the Unicode control pictures, `␛` for escape), so that the caret below still lines up.
pub fn visible_line(line: &str) -> Cow<'_, str> {
    if !line.chars().any(is_control) {
        return Cow::Borrowed(line);
    }
    Cow::Owned(
        line.chars()
            .map(|c| match u32::from(c) {
                n @ 0..=0x1f => char::from_u32(0x2400 + n).unwrap_or('\u{fffd}'),
                0x7f => '\u{2421}',
                _ if is_control(c) => '\u{fffd}',
                _ => c,
            })
            .collect(),
    )
}

/// A number as a message shows it: as written when that is short (`0.25`, `1000001`), otherwise in exponent form
/// (`-1e308`, not 309 digits).
pub fn compact_number(v: f64) -> String {
    let plain = v.to_string();
    if plain.len() <= 16 {
        plain
    } else {
        format!("{v:e}")
    }
}

/// [`compact_number`] for `Display` (`format!("{}", Compact(v))`).
pub struct Compact(pub f64);

impl fmt::Display for Compact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&compact_number(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_refused_and_one_at_it_is_read() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("f.txt");
        std::fs::write(&path, b"12345").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read_limited(&path, 5).ok(), Some(b"12345".to_vec()));
        assert!(matches!(
            read_limited(&path, 4),
            Err(InputError::TooLarge {
                size: Some(5),
                max: 4
            })
        ));
        assert!(matches!(
            read_limited(dir.path(), 4),
            Err(InputError::Directory)
        ));
        assert!(matches!(
            read_limited(&dir.path().join("none"), 4),
            Err(InputError::NotFound)
        ));
    }

    #[test]
    fn control_characters_are_found_named_and_escaped() {
        assert_eq!(first_control("ab\u{1b}c", &[]), Some((2, '\u{1b}')));
        assert_eq!(first_control("a\r\nb\tc", &['\n', '\t']), None);
        assert_eq!(first_control("a\rb", &['\n', '\t']), Some((1, '\r')));
        assert_eq!(first_control("a\u{85}", &['\n']), Some((1, '\u{85}')));
        assert_eq!(first_control("é ☮ 日本", &[]), None);
        assert_eq!(char_name('\u{1b}'), "U+001B (escape)");
        assert_eq!(char_name('\u{7}'), "U+0007 (bell)");
        assert_eq!(char_name('\u{1}'), "U+0001 (a control character)");
        assert_eq!(visible("a\u{1b}[31mb\n"), "a\\u{1b}[31mb\n");
        assert_eq!(visible_line("a\u{1b}b\tc"), "a\u{241b}b\u{2409}c");
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn numbers_are_compact() {
        assert_eq!(compact_number(-1e308), "-1e308");
        assert_eq!(compact_number(1000001.0), "1000001");
        assert_eq!(compact_number(0.25), "0.25");
        assert_eq!(compact_number(5e-324), "5e-324");
        assert_eq!(compact_number(1e15), "1000000000000000");
    }
}
