//! Writing a results folder whole, safely when several processes write the same one at once.
//!
//! Every writer stages its files in its own hidden sibling of the target, `.<name>.tmp-<token>`, where the token
//! (process id and a nonce) is unique to that writer. Beside it, the writer holds an exclusive lock on
//! `.<name>.tmp-<token>.lock` for as long as it lives. Before the swap, the writer checks that its folder is still the
//! one it made and holds every file it wrote. The staged folder then replaces the target by rename: the previous
//! folder is moved aside to `.<name>.old-<token>.<k>` and removed once the new one is in place. When two writers swap
//! at the same moment, the one that finds the target taken again moves it aside and tries again, so the last writer
//! to finish wins and the target is always one writer's complete folder (or, for the instant between two renames,
//! absent).
//!
//! A writer stopped by a signal removes its hidden files before it exits ([`abandon_all`]); one killed outright leaves
//! them behind, and the next writer to the same target removes them, but only once it is sure the owner is gone: its
//! lock file is missing, or its lock can be taken (the operating system releases the locks of a process that dies).
//! A writer creates its lock file under a temporary name (`.<name>.locking-<token>`), locks it and only then renames
//! it into place, so a lock file in place is locked for as long as its writer lives. A writer killed between the two
//! renames of its swap left the target absent: its staged folder is complete, and the next writer puts it in place
//! before anything else. A live writer's files are never touched. Where the file system offers no locks, writing
//! still works, and leftovers are simply never removed.
//!
//! A long target name is shortened in the hidden names (its start and a hash), so they fit in 255 bytes.

use std::cell::RefCell;
use std::fs::{self, File, OpenOptions};
use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use super::OutFile;
use crate::error::{Error, Result};

/// How old a free temporary lock file (of a writer killed between creating and renaming it) must be before it is
/// removed: a live writer holds it for an instant only.
pub const STALE_AFTER: Duration = Duration::from_secs(60);

/// How many times a writer moves a competing writer's folder aside before it gives up.
const SWAP_ATTEMPTS: usize = 64;

/// Target names longer than this are shortened in hidden names.
const LONG_NAME: usize = 96;

type Live = Vec<(String, Vec<PathBuf>)>;

/// The hidden files of this process's writers, by token, for [`abandon_all`]. A commit holds it while it swaps, so an
/// interrupt never removes a folder halfway into place.
static LIVE: Mutex<Live> = Mutex::new(Vec::new());

fn live() -> MutexGuard<'static, Live> {
    LIVE.lock().unwrap_or_else(PoisonError::into_inner)
}

fn register(token: &str, paths: Vec<PathBuf>) {
    live().push((token.to_string(), paths));
}

fn unregister(live: &mut Live, token: &str) {
    live.retain(|(t, _)| t != token);
}

/// Remove every hidden file and folder of this process's writers, for a program about to exit on a signal (Ctrl-C,
/// or a scheduler's SIGTERM): nothing hidden is left behind, and a commit under way finishes first. Any writer that
/// commits afterwards waits forever, so call this only just before exiting.
pub fn abandon_all() {
    let live = live();
    for (_, paths) in live.iter() {
        for path in paths {
            remove_path(path);
        }
    }
    std::mem::forget(live);
}

/// Remove a file or a folder; a writer may still be adding files to a folder, so try a few times.
fn remove_path(path: &Path) {
    for _ in 0..5 {
        let removed = match fs::symlink_metadata(path) {
            Err(_) => return,
            Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
            Ok(_) => fs::remove_file(path),
        };
        if removed.is_ok() {
            return;
        }
    }
}

fn write_err(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

fn other_err(path: &Path, reason: String) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source: std::io::Error::other(reason),
    }
}

/// The error for something that is not a folder where a folder goes.
fn in_the_way(path: &Path, what: &str) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source: std::io::Error::new(
            ErrorKind::AlreadyExists,
            format!("it is {what}, not a folder; move it or remove it (or write elsewhere)"),
        ),
    }
}

fn kind_of(meta: &fs::Metadata) -> &'static str {
    if meta.file_type().is_symlink() {
        "a symbolic link"
    } else {
        "a file"
    }
}

/// Create `dir` and its parents; when a component is a file, name that component.
fn create_dirs(dir: &Path) -> Result<()> {
    match fs::create_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) => {
            for ancestor in dir.ancestors() {
                if let Ok(meta) = fs::metadata(ancestor)
                    && !meta.is_dir()
                {
                    return Err(in_the_way(ancestor, "a file"));
                }
            }
            Err(write_err(dir)(e))
        }
    }
}

/// A token no other writer has: this process's id and a nonce from the clock and a counter.
fn token() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{}-{:x}", std::process::id(), nanos ^ (n << 48) ^ n)
}

/// Whether `text` is a token this program makes (or, without the nonce, made before locks): a hidden entry with any
/// other name is the user's, and never removed.
fn is_token(text: &str) -> bool {
    let (pid, nonce) = match text.split_once('-') {
        Some((pid, nonce)) => (pid, Some(nonce)),
        None => (text, None),
    };
    let digits = !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
    let hex = nonce
        .is_none_or(|n| (1..=16).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_hexdigit()));
    digits && hex
}

/// The stem of the hidden names for the target `name`: the name itself, or the start of a long one and a hash.
fn stem(name: &str) -> String {
    if name.len() <= LONG_NAME {
        return name.to_string();
    }
    let mut cut = 64;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}~{:016x}", &name[..cut], crate::rng::fnv1a(name))
}

/// The name of `target` and the folder it sits in.
fn split(target: &Path) -> (PathBuf, String) {
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "results".into());
    (parent, name)
}

/// The identity of a folder (device and inode), to tell it from another made in its place.
#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    fs::symlink_metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(path: &Path) -> Option<(u64, u64)> {
    path.is_dir().then_some((0, 0))
}

/// A results folder being written. Files go into this writer's own hidden sibling folder, which replaces the target
/// on [`Staging::commit`]. Dropped without a commit (an error, a panic), it removes everything it made.
pub struct Staging {
    target: PathBuf,
    parent: PathBuf,
    stem: String,
    token: String,
    dir: PathBuf,
    dir_id: Option<(u64, u64)>,
    /// Held (locked) for the writer's life; see the module's documentation.
    lock: Option<(File, PathBuf)>,
    /// Every file written (or handed out by [`Staging::path`]), relative to the folder.
    written: RefCell<Vec<PathBuf>>,
    committed: bool,
}

impl Staging {
    /// Start writing `target`. A file (or link) where the folder goes is an error naming it, before any work.
    pub fn new(target: &Path) -> Result<Staging> {
        let (parent, name) = split(target);
        create_dirs(&parent)?;
        check_target(target)?;
        let stem = stem(&name);
        remove_abandoned(&parent, &stem, target);
        let token = token();
        let lock_path = parent.join(format!(".{stem}.tmp-{token}.lock"));
        let locking = parent.join(format!(".{stem}.locking-{token}"));
        let dir = parent.join(format!(".{stem}.tmp-{token}"));
        // Registered before anything exists, so that a signal from here on removes whatever was made.
        register(
            &token,
            vec![dir.clone(), lock_path.clone(), locking.clone()],
        );
        let mut staging = Staging {
            target: target.to_path_buf(),
            parent,
            stem,
            token,
            dir,
            dir_id: None,
            lock: None,
            written: RefCell::new(Vec::new()),
            committed: false,
        };
        let lock = OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&locking)
            .map_err(write_err(target))?;
        // Blocking: a cleaner that opened this fresh file holds its lock for an instant, then lets go. Where the file
        // system has no locks, the lock file still marks this writer as alive to every cleaner (which cannot take
        // its lock either).
        let _ = lock.lock();
        fs::rename(&locking, &lock_path).map_err(write_err(target))?;
        staging.lock = Some((lock, lock_path));
        fs::create_dir(&staging.dir).map_err(write_err(target))?;
        staging.dir_id = identity(&staging.dir);
        Ok(staging)
    }

    /// Start rewriting the folder `target`: every file it holds now is kept (hard-linked, or copied where links are
    /// not possible); a file written anew replaces its kept copy. Used by `ceasefire chart` to swap in a whole set of
    /// redrawn charts. Only folders and regular files can be kept; anything else (a symbolic link, a pipe) is an
    /// error naming it.
    pub fn refresh(target: &Path) -> Result<Staging> {
        let staging = Staging::new(target)?;
        if target.is_dir() {
            staging.keep_existing(target, Path::new(""))?;
        }
        Ok(staging)
    }

    fn keep_existing(&self, from: &Path, rel: &Path) -> Result<()> {
        for entry in fs::read_dir(from).map_err(write_err(from))? {
            let entry = entry.map_err(write_err(from))?;
            let rel = rel.join(entry.file_name());
            let path = entry.path();
            let meta = fs::symlink_metadata(&path).map_err(write_err(&path))?;
            let dest = self.dir.join(&rel);
            let shown = self.target.join(&rel);
            if meta.is_dir() {
                fs::create_dir(&dest).map_err(write_err(&shown))?;
                self.keep_existing(&path, &rel)?;
            } else if meta.is_file() {
                fs::hard_link(&path, &dest)
                    .or_else(|_| fs::copy(&path, &dest).map(|_| ()))
                    .map_err(write_err(&shown))?;
            } else {
                // A link would let a redraw write outside the folder, and a pipe or a device could not be read.
                let what = if meta.file_type().is_symlink() {
                    "a symbolic link"
                } else {
                    "neither a file nor a folder (a pipe or a device?)"
                };
                return Err(other_err(
                    &path,
                    format!(
                        "it is {what}; a results folder holds only files and folders, so move it away and try \
                         again"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// This writer's staging folder, holding what has been written so far (and, after [`Staging::refresh`], every
    /// file kept from the target, pinned as it was when the refresh began).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The path of `name` inside the staging folder, its parent folders created below the staging folder (never the
    /// staging folder itself: if another process removed it, this is an error, not a fresh empty folder).
    pub fn path(&self, name: &str) -> Result<PathBuf> {
        let rel = Path::new(name);
        let shown = self.target.join(rel);
        if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            return Err(other_err(&shown, "not a plain relative file name".into()));
        }
        let mut dir = self.dir.clone();
        if let Some(folders) = rel.parent() {
            for folder in folders.components() {
                dir.push(folder);
                match fs::create_dir(&dir) {
                    Ok(()) => {}
                    Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                        let meta = fs::symlink_metadata(&dir).map_err(write_err(&shown))?;
                        if !meta.is_dir() {
                            let rel = dir.strip_prefix(&self.dir).unwrap_or(&dir);
                            return Err(in_the_way(&self.target.join(rel), kind_of(&meta)));
                        }
                    }
                    Err(e) => return Err(write_err(&shown)(e)),
                }
            }
        }
        self.written.borrow_mut().push(rel.to_path_buf());
        Ok(self.dir.join(rel))
    }

    pub fn write(&self, file: &OutFile) -> Result<()> {
        self.write_bytes(&file.name, &file.bytes)
    }

    /// Write `bytes` as the file `name` of the staging folder.
    pub fn write_bytes(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let path = self.path(name)?;
        // Never write through a kept file's hard link: that would change the folder being replaced.
        let _ = fs::remove_file(&path);
        // Named as the user will look for it: in the target, not in the hidden staging folder.
        fs::write(&path, bytes).map_err(write_err(&self.target.join(name)))
    }

    /// Swap the staged folder in place of the target.
    pub fn commit(mut self) -> Result<()> {
        let _live = live();
        self.check_whole()?;
        self.swap_in()?;
        self.committed = true;
        Ok(())
    }

    /// The staging folder is still the one this writer made, and holds every file it wrote.
    fn check_whole(&self) -> Result<()> {
        let gone = |what: String| {
            other_err(
                &self.target,
                format!(
                    "{what} before it could be swapped in (did another process remove it?); nothing was changed"
                ),
            )
        };
        if identity(&self.dir) != self.dir_id {
            return Err(gone("the folder being written was removed".into()));
        }
        for rel in self.written.borrow().iter() {
            if fs::symlink_metadata(self.dir.join(rel)).is_err() {
                return Err(gone(format!(
                    "`{}` vanished from the folder being written",
                    rel.display()
                )));
            }
        }
        Ok(())
    }

    fn old(&self, k: usize) -> PathBuf {
        self.parent
            .join(format!(".{}.old-{}.{k}", self.stem, self.token))
    }

    fn swap_in(&self) -> Result<()> {
        let mut moved = Vec::new();
        let result = self.swap_attempts(&mut moved);
        if result.is_err()
            && let Some(newest) = moved.last()
            && fs::symlink_metadata(&self.target).is_err()
            && fs::rename(newest, &self.target).is_ok()
        {
            // The swap failed with the target empty: the newest previous results are back in place.
            moved.pop();
        }
        for old in &moved {
            // Previous results, superseded; one that cannot be removed now is removed by the next write to this
            // target, once this writer is gone.
            let _ = fs::remove_dir_all(old);
        }
        result
    }

    fn swap_attempts(&self, moved: &mut Vec<PathBuf>) -> Result<()> {
        for k in 0..SWAP_ATTEMPTS {
            let old = self.old(k);
            match fs::symlink_metadata(&self.target) {
                Ok(meta) if meta.is_dir() => match fs::rename(&self.target, &old) {
                    Ok(()) => moved.push(old),
                    Err(e) if e.kind() == ErrorKind::NotFound => {}
                    Err(e) => return Err(write_err(&self.target)(e)),
                },
                Ok(meta) => return Err(in_the_way(&self.target, kind_of(&meta))),
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(write_err(&self.target)(e)),
            }
            match fs::rename(&self.dir, &self.target) {
                Ok(()) => return Ok(()),
                // Another writer put its folder there between the two renames: move it aside and go again.
                Err(_) if fs::symlink_metadata(&self.target).is_ok() && self.dir.is_dir() => {}
                Err(e) => return Err(write_err(&self.target)(e)),
            }
        }
        Err(other_err(
            &self.target,
            format!("other processes kept replacing it; gave up after {SWAP_ATTEMPTS} attempts"),
        ))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let mut live = live();
        if !self.committed {
            // Cleanup after another error (or a panic), which is the one to report.
            let _ = fs::remove_dir_all(&self.dir);
        }
        // The lock goes last: while it is held, no other writer touches this writer's folders.
        if let Some((file, path)) = self.lock.take() {
            let _ = fs::remove_file(&path);
            drop(file);
        }
        unregister(&mut live, &self.token);
    }
}

/// A file or link where the folder `target` goes.
fn check_target(target: &Path) -> Result<()> {
    match fs::symlink_metadata(target) {
        Ok(meta) if !meta.is_dir() => Err(in_the_way(target, kind_of(&meta))),
        _ => Ok(()),
    }
}

/// Remove the hidden files of writers to the target (whose hidden names start with `stem`) that are gone. A writer
/// that died between the two renames of its swap left the target absent: its complete staged folder (or else the
/// previous results it moved aside) is put in place first. Best effort: what cannot be removed now only takes space,
/// and is tried again by the next write.
fn remove_abandoned(parent: &Path, stem: &str, target: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let ours = format!(".{stem}.");
    let names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&ours))
        .collect();
    let tmp = format!(".{stem}.tmp-");
    let old = format!(".{stem}.old-");
    let locking = format!(".{stem}.locking-");
    let mut tokens: Vec<&str> = Vec::new();
    for name in &names {
        if let Some(token) = name.strip_prefix(&locking) {
            let path = parent.join(name);
            if is_token(token)
                && let Some(held) = free_and_stale(&path)
            {
                let _ = fs::remove_file(&path);
                drop(held);
            }
            continue;
        }
        let Some(rest) = name.strip_prefix(&tmp).or_else(|| name.strip_prefix(&old)) else {
            continue;
        };
        let token = rest.split('.').next().unwrap_or(rest);
        if is_token(token) && !tokens.contains(&token) {
            tokens.push(token);
        }
    }
    for token in tokens {
        let lock_path = parent.join(format!(".{stem}.tmp-{token}.lock"));
        let Owner::Gone(held) = owner(&lock_path) else {
            continue;
        };
        let staged = parent.join(format!("{tmp}{token}"));
        let its_old = format!("{old}{token}.");
        let mut olds: Vec<(usize, PathBuf)> = names
            .iter()
            .filter_map(|n| {
                let k = n.strip_prefix(&its_old)?.parse().ok()?;
                Some((k, parent.join(n)))
            })
            .collect();
        olds.sort();
        if !olds.is_empty() && fs::symlink_metadata(target).is_err() {
            // Died mid-swap: a swap begins only once every file is written and checked.
            let restored = staged.is_dir() && fs::rename(&staged, target).is_ok();
            if !restored && let Some((_, newest)) = olds.last() {
                let _ = fs::rename(newest, target);
            }
        }
        let _ = fs::remove_dir_all(&staged);
        for (_, path) in &olds {
            let _ = fs::remove_dir_all(path);
        }
        // The lock file goes last, while still held.
        let _ = fs::remove_file(&lock_path);
        drop(held);
    }
}

enum Owner {
    Alive,
    /// Gone; the lock, if there was one, is held until the owner's folders are removed.
    Gone(Option<File>),
}

/// Whether the writer that owns `lock_path` is gone.
fn owner(lock_path: &Path) -> Owner {
    let file = match OpenOptions::new().read(true).write(true).open(lock_path) {
        Ok(f) => f,
        // A live writer puts its lock file in place before it makes its folder, and removes it after: a folder
        // without one belongs to no live writer (for example one from a version before locks).
        Err(e) if e.kind() == ErrorKind::NotFound => return Owner::Gone(None),
        Err(_) => return Owner::Alive,
    };
    match file.try_lock() {
        Ok(()) => Owner::Gone(Some(file)),
        Err(_) => Owner::Alive,
    }
}

/// A temporary lock file whose lock is free and which is older than [`STALE_AFTER`], held while it is removed.
fn free_and_stale(path: &Path) -> Option<File> {
    let file = OpenOptions::new().read(true).write(true).open(path).ok()?;
    file.try_lock().ok()?;
    let age = SystemTime::now()
        .duration_since(file.metadata().ok()?.modified().ok()?)
        .ok()?;
    (age >= STALE_AFTER).then_some(file)
}

/// Replace the folder `target` with exactly `files`. Nothing else on disk is touched.
pub fn write_folder(target: &Path, files: &[OutFile]) -> Result<()> {
    let staging = Staging::new(target)?;
    for f in files {
        staging.write(f)?;
    }
    staging.commit()
}

/// Write a new file whole: a temporary name in the same folder, then a hard link to `path`, which never replaces a
/// file that appeared meanwhile (a rename, where links are not possible). Errors name `path`; the temporary file is
/// removed whatever fails, and on a signal.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let (dir, name) = split(path);
    create_dirs(&dir)?;
    let token = token();
    let tmp = dir.join(format!(".{}.tmp-{token}", stem(&name)));
    register(&token, vec![tmp.clone()]);
    let written = fs::write(&tmp, bytes).and_then(|()| match fs::hard_link(&tmp, path) {
        Err(e) if e.kind() != ErrorKind::AlreadyExists => fs::rename(&tmp, path),
        linked => linked,
    });
    let mut live = live();
    let _ = fs::remove_file(&tmp);
    unregister(&mut live, &token);
    written.map_err(write_err(path))
}

/// Write a file whole, replacing any file of that name: a temporary name in the same folder, then a rename, so a
/// reader sees the previous file or the new one, never a part. Errors name `path`; the temporary file is removed
/// whatever fails, and on a signal.
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let (dir, name) = split(path);
    create_dirs(&dir)?;
    let token = token();
    let tmp = dir.join(format!(".{}.tmp-{token}", stem(&name)));
    register(&token, vec![tmp.clone()]);
    let written = fs::write(&tmp, bytes).and_then(|()| fs::rename(&tmp, path));
    let mut live = live();
    let _ = fs::remove_file(&tmp);
    unregister(&mut live, &token);
    written.map_err(write_err(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a").join("seed-1");
        write_folder(
            &target,
            &[
                OutFile::new("x.csv", b"1".to_vec()),
                OutFile::new("charts/y.svg", b"2".to_vec()),
            ],
        )
        .unwrap();
        assert_eq!(fs::read(target.join("charts/y.svg")).unwrap(), b"2");
        write_folder(&target, &[OutFile::new("z.csv", b"3".to_vec())]).unwrap();
        assert!(!target.join("x.csv").exists());
        assert_eq!(fs::read(target.join("z.csv")).unwrap(), b"3");
        let names: Vec<_> = fs::read_dir(dir.path().join("a"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "no staging folders left: {names:?}");
    }

    #[test]
    fn a_write_failing_midway_keeps_the_previous_results_and_leaves_no_staging() {
        // A write that fails after others succeeded, as on a full disk: here `charts` is written as a file, so the
        // next file, which needs `charts/` to be a folder, cannot be written.
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("seed-1");
        write_folder(&target, &[OutFile::new("rounds.csv", b"old".to_vec())]).unwrap();
        let err = write_folder(
            &target,
            &[
                OutFile::new("rounds.csv", b"new".to_vec()),
                OutFile::new("charts", b"not a folder".to_vec()),
                OutFile::new("charts/agreement.svg", b"<svg/>".to_vec()),
            ],
        )
        .unwrap_err();
        assert!(err.to_string().contains("charts"), "{err}");
        assert_eq!(fs::read(target.join("rounds.csv")).unwrap(), b"old");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "no staging folders left: {names:?}");
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_file_where_the_folder_goes_is_an_error_naming_it_and_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("seed-1");
        fs::write(&target, "my notes").unwrap();
        let err = write_folder(&target, &[OutFile::new("x.csv", b"1".to_vec())]).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("seed-1") && text.contains("it is a file"),
            "{text}"
        );
        assert_eq!(fs::read(&target).unwrap(), b"my notes");
        assert_eq!(names_in(dir.path()), ["seed-1"]);
    }

    #[test]
    fn a_file_in_the_path_of_the_folder_is_named() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("out"), "a file").unwrap();
        let err = write_folder(
            &dir.path().join("out/astana/seed-1"),
            &[OutFile::new("x.csv", b"1".to_vec())],
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("out`") && text.contains("it is a file"),
            "{text}"
        );
    }

    #[test]
    fn a_live_writers_staging_is_never_removed_by_another_writer() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("seed-1");
        let first = Staging::new(&target).unwrap();
        first.write_bytes("a.csv", b"first").unwrap();
        let second = Staging::new(&target).unwrap();
        second.write_bytes("a.csv", b"second").unwrap();
        assert!(first.dir.join("a.csv").is_file());
        second.commit().unwrap();
        first.commit().unwrap();
        // The last to finish wins, whole; nothing hidden is left.
        assert_eq!(fs::read(target.join("a.csv")).unwrap(), b"first");
        assert_eq!(names_in(dir.path()), ["seed-1"]);
    }

    #[test]
    fn abandoned_staging_is_removed_only_once_its_owner_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("seed-1");
        let path = |name: &str| dir.path().join(name);
        // A writer that died: its lock file is in place and free. A live one: its lock is held. One with no lock
        // file at all (an older version's leftover). And two temporary lock files of writers killed before they
        // renamed them: one old, one that could be a live writer's of an instant ago.
        let dead = ".seed-1.tmp-1-dead";
        let alive = ".seed-1.tmp-2-a11ce";
        let legacy = ".seed-1.tmp-999999";
        for name in [dead, alive, legacy] {
            fs::create_dir(path(name)).unwrap();
        }
        fs::create_dir(path(".seed-1.old-1-dead.0")).unwrap();
        File::create(path(&format!("{dead}.lock"))).unwrap();
        let held = File::create(path(&format!("{alive}.lock"))).unwrap();
        held.lock().unwrap();
        let old_locking = File::create(path(".seed-1.locking-3-01d")).unwrap();
        old_locking
            .set_modified(SystemTime::now() - STALE_AFTER - Duration::from_secs(1))
            .unwrap();
        File::create(path(".seed-1.locking-4-0e3")).unwrap();
        write_folder(&target, &[OutFile::new("x.csv", b"1".to_vec())]).unwrap();
        assert_eq!(
            names_in(dir.path()),
            [
                ".seed-1.locking-4-0e3".to_string(),
                alive.into(),
                format!("{alive}.lock"),
                "seed-1".into()
            ]
        );
        drop(held);
    }

    #[test]
    fn threads_writing_the_same_folder_at_once_leave_one_whole_folder() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("seed-1");
        std::thread::scope(|s| {
            for t in 0..8u8 {
                let target = &target;
                s.spawn(move || {
                    for _ in 0..20 {
                        let files: Vec<OutFile> = (0..5)
                            .map(|i| OutFile::new(format!("f{i}.csv"), vec![t; 100]))
                            .collect();
                        write_folder(target, &files).unwrap();
                    }
                });
            }
        });
        let names = names_in(&target);
        assert_eq!(names, ["f0.csv", "f1.csv", "f2.csv", "f3.csv", "f4.csv"]);
        let first = fs::read(target.join("f0.csv")).unwrap();
        for n in &names {
            assert_eq!(
                fs::read(target.join(n)).unwrap(),
                first,
                "one writer's files"
            );
        }
        assert_eq!(names_in(dir.path()), ["seed-1"]);
    }

    #[test]
    fn a_refresh_keeps_the_other_files_and_replaces_the_rewritten_ones_together() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("seed-1");
        write_folder(
            &target,
            &[
                OutFile::new("charts/a.png", b"old a".to_vec()),
                OutFile::new("charts/b.png", b"old b".to_vec()),
                OutFile::new("rounds.csv", b"data".to_vec()),
            ],
        )
        .unwrap();
        let staging = Staging::refresh(&target).unwrap();
        staging.write_bytes("charts/a.png", b"new a").unwrap();
        // Dropped before b.png is written (a failure midway): the old charts stay, all of them.
        drop(staging);
        assert_eq!(fs::read(target.join("charts/a.png")).unwrap(), b"old a");
        let staging = Staging::refresh(&target).unwrap();
        // The kept files are there to read, as they were.
        assert_eq!(fs::read(staging.dir().join("rounds.csv")).unwrap(), b"data");
        staging.write_bytes("charts/a.png", b"new a").unwrap();
        // Writing a kept file never writes through its link into the folder being replaced.
        assert_eq!(fs::read(target.join("charts/a.png")).unwrap(), b"old a");
        staging.write_bytes("charts/b.png", b"new b").unwrap();
        staging.commit().unwrap();
        assert_eq!(fs::read(target.join("charts/a.png")).unwrap(), b"new a");
        assert_eq!(fs::read(target.join("charts/b.png")).unwrap(), b"new b");
        assert_eq!(fs::read(target.join("rounds.csv")).unwrap(), b"data");
        assert_eq!(names_in(dir.path()), ["seed-1"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_refresh_refuses_a_pipe_in_the_folder_instead_of_reading_it() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("seed-1");
        write_folder(&target, &[OutFile::new("rounds.csv", b"data".to_vec())]).unwrap();
        let fifo = target.join("trap.csv");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let err = Staging::refresh(&target).err().unwrap().to_string();
        assert!(
            err.contains("trap.csv") && err.contains("neither a file nor a folder"),
            "{err}"
        );
        assert_eq!(names_in(dir.path()), ["seed-1"]);
    }

    #[test]
    fn a_staging_folder_removed_under_its_writer_is_never_swapped_in() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("seed-1");
        write_folder(&target, &[OutFile::new("rounds.csv", b"old".to_vec())]).unwrap();
        // Removed whole while the writer works: the next file cannot be written, and is not written into a
        // folder made afresh.
        let staging = Staging::new(&target).unwrap();
        staging.write_bytes("rounds.csv", b"new").unwrap();
        fs::remove_dir_all(staging.dir()).unwrap();
        assert!(staging.write_bytes("charts/a.svg", b"<svg/>").is_err());
        assert!(!staging.dir().exists());
        let err = staging.commit().unwrap_err().to_string();
        assert!(err.contains("removed"), "{err}");
        assert_eq!(fs::read(target.join("rounds.csv")).unwrap(), b"old");
        // Partly removed: a file written is gone at the swap.
        let staging = Staging::new(&target).unwrap();
        staging.write_bytes("rounds.csv", b"new").unwrap();
        staging.write_bytes("actors.csv", b"new").unwrap();
        fs::remove_file(staging.dir().join("rounds.csv")).unwrap();
        let err = staging.commit().unwrap_err().to_string();
        assert!(err.contains("`rounds.csv` vanished"), "{err}");
        assert_eq!(fs::read(target.join("rounds.csv")).unwrap(), b"old");
        assert_eq!(names_in(dir.path()), ["seed-1"]);
    }

    #[test]
    fn a_writer_killed_between_the_two_renames_of_its_swap_loses_no_results() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("seed-1");
        // What a writer killed mid-swap leaves: the previous results moved aside, its complete new folder staged, no
        // target, and a lock file no one holds.
        for (name, bytes) in [
            (".seed-1.old-7-ab.0", b"previous"),
            (".seed-1.tmp-7-ab", b"new....."),
        ] {
            fs::create_dir(dir.path().join(name)).unwrap();
            fs::write(dir.path().join(name).join("rounds.csv"), bytes).unwrap();
        }
        File::create(dir.path().join(".seed-1.tmp-7-ab.lock")).unwrap();
        // The next writer fails before it commits: the dead writer's results are in place all the same.
        drop(Staging::new(&target).unwrap());
        assert_eq!(fs::read(target.join("rounds.csv")).unwrap(), b"new.....");
        assert_eq!(names_in(dir.path()), ["seed-1"]);
    }

    #[test]
    fn hidden_entries_that_are_not_this_programs_are_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("seed-1");
        for name in [
            ".seed-1.tmp-notes",
            ".seed-1.old-x.1",
            ".seed-1.locking-mine",
        ] {
            fs::create_dir(dir.path().join(name)).unwrap();
        }
        write_folder(&target, &[OutFile::new("x.csv", b"1".to_vec())]).unwrap();
        assert_eq!(
            names_in(dir.path()),
            [
                ".seed-1.locking-mine",
                ".seed-1.old-x.1",
                ".seed-1.tmp-notes",
                "seed-1"
            ]
        );
    }

    #[test]
    fn a_target_name_of_255_bytes_is_written_and_its_hidden_names_fit() {
        let dir = tempfile::tempdir().unwrap();
        let name = format!("compare-{}", "é".repeat(123)) + "x";
        assert_eq!(name.len(), 255);
        let target = dir.path().join(&name);
        write_folder(&target, &[OutFile::new("x.csv", b"1".to_vec())]).unwrap();
        write_folder(&target, &[OutFile::new("x.csv", b"2".to_vec())]).unwrap();
        assert_eq!(fs::read(target.join("x.csv")).unwrap(), b"2");
        assert_eq!(names_in(dir.path()), [name]);
    }

    #[test]
    fn a_single_file_write_that_fails_names_the_target_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        // The target is a folder, so the rename fails after the temporary file was written.
        let path = dir.path().join("x.toml");
        fs::create_dir(&path).unwrap();
        fs::write(path.join("inside"), "keep").unwrap();
        let err = write_file(&path, b"text").unwrap_err();
        assert!(err.to_string().contains("x.toml`"), "{err}");
        assert_eq!(names_in(dir.path()), ["x.toml"]);
    }
}
