//! Writing a results folder whole, safely when several processes write the same one at once.
//!
//! Every writer stages its files in its own hidden sibling of the target, `.<name>.tmp-<token>`, where the token
//! (process id and a nonce) is unique to that writer. Beside it, the writer holds an exclusive lock on
//! `.<name>.tmp-<token>.lock` for as long as it lives. The staged folder then replaces the target by rename: the
//! previous folder is moved aside to `.<name>.old-<token>.<k>` and removed. When two writers swap at the same moment,
//! the one that finds the target taken again moves it aside and tries again, so the last writer to finish wins and
//! the target is always one writer's complete folder (or, for the instant between two renames, absent).
//!
//! A writer that is stopped by a signal removes its hidden folders before it exits (see [`abandon_all`]); one that
//! is killed outright leaves them behind, and the next writer to the same target removes them, but only once it is
//! sure the owner is gone: its lock file is missing, or its lock can be taken (the operating system releases the locks
//! of a process that dies). A writer creates its lock file under a temporary name (`.<name>.locking-<token>`), locks
//! it and only then renames it into place, so a lock file in place is locked for as long as its writer lives. A live
//! writer's folder is never touched.

use std::fs::{self, File, OpenOptions};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use super::OutFile;
use crate::error::{Error, Result};

/// How old a free temporary lock file (of a writer killed between creating and renaming it) must be before it is
/// removed: a live writer holds it for an instant only.
pub const STALE_AFTER: Duration = Duration::from_secs(60);

/// The staging folders and lock files of this process's writers, for [`abandon_all`]. A commit holds it while it
/// swaps, so an interrupt never removes a folder halfway into place.
static LIVE: Mutex<Vec<(String, PathBuf, PathBuf)>> = Mutex::new(Vec::new());

fn live() -> MutexGuard<'static, Vec<(String, PathBuf, PathBuf)>> {
    LIVE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Remove every staging folder and lock file of this process's writers, for a program about to exit on a signal
/// (Ctrl-C, or a scheduler's SIGTERM): nothing hidden is left behind, and a commit under way finishes first. Any
/// writer that commits afterwards waits forever, so call this only just before exiting.
pub fn abandon_all() {
    let live = live();
    for (_, dir, lock) in live.iter() {
        // A writer may still be adding files while the folder is removed: try again a few times.
        for _ in 0..5 {
            if fs::remove_dir_all(dir).is_ok() || !dir.exists() {
                break;
            }
        }
        let _ = fs::remove_file(lock);
    }
    std::mem::forget(live);
}

/// How many times a writer moves a competing writer's folder aside before it gives up.
const SWAP_ATTEMPTS: usize = 64;

fn write_err(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// The error for something that is not a folder where a folder goes.
fn in_the_way(path: &Path, what: &str) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source: std::io::Error::new(
            ErrorKind::AlreadyExists,
            format!("it is {what}, not a folder; move it or remove it, or choose another --out"),
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

/// A results folder being written. Files go into this writer's own hidden sibling folder, which replaces the target
/// on [`Staging::commit`]. Dropped without a commit (an error, a panic), it removes everything it made.
pub struct Staging {
    target: PathBuf,
    parent: PathBuf,
    name: String,
    token: String,
    dir: PathBuf,
    /// Held (locked) for the writer's life; see the module's documentation.
    lock: Option<(File, PathBuf)>,
    committed: bool,
}

impl Staging {
    /// Start writing `target`. A file (or link) where the folder goes is an error naming it, before any work.
    pub fn new(target: &Path) -> Result<Staging> {
        let (parent, name) = split(target);
        create_dirs(&parent)?;
        check_target(target)?;
        remove_abandoned(&parent, &name);
        let token = token();
        let lock_path = parent.join(format!(".{name}.tmp-{token}.lock"));
        let locking = parent.join(format!(".{name}.locking-{token}"));
        let lock = OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&locking)
            .map_err(write_err(&locking))?;
        // Blocking: a cleaner that opened this fresh file holds its lock for an instant, then lets go.
        if let Err(e) = lock.lock().and_then(|()| fs::rename(&locking, &lock_path)) {
            let _ = fs::remove_file(&locking);
            return Err(write_err(&lock_path)(e));
        }
        let dir = parent.join(format!(".{name}.tmp-{token}"));
        live().push((token.clone(), dir.clone(), lock_path.clone()));
        let staging = Staging {
            target: target.to_path_buf(),
            dir,
            parent,
            name,
            token,
            lock: Some((lock, lock_path)),
            committed: false,
        };
        fs::create_dir(&staging.dir).map_err(write_err(&staging.dir))?;
        Ok(staging)
    }

    /// Start rewriting some files of the folder `target`: every file it holds now is kept (hard-linked, or copied
    /// where links are not possible) except those named in `replaced`, which the caller writes anew. Used by
    /// `ceasefire chart` to swap in a whole set of redrawn charts.
    pub fn refresh(target: &Path, replaced: &[&str]) -> Result<Staging> {
        let staging = Staging::new(target)?;
        if target.is_dir() {
            staging.keep_existing(target, Path::new(""), replaced)?;
        }
        Ok(staging)
    }

    fn keep_existing(&self, from: &Path, rel: &Path, replaced: &[&str]) -> Result<()> {
        for entry in fs::read_dir(from).map_err(write_err(from))? {
            let entry = entry.map_err(write_err(from))?;
            let rel = rel.join(entry.file_name());
            let path = entry.path();
            let kind = entry.file_type().map_err(write_err(&path))?;
            if kind.is_dir() {
                let dest = self.dir.join(&rel);
                fs::create_dir_all(&dest).map_err(write_err(&dest))?;
                self.keep_existing(&path, &rel, replaced)?;
            } else if !replaced.iter().any(|r| Path::new(r) == rel) {
                let dest = self.dir.join(&rel);
                if fs::hard_link(&path, &dest).is_err() {
                    fs::copy(&path, &dest).map_err(write_err(&dest))?;
                }
            }
        }
        Ok(())
    }

    /// The path of `name` inside the staging folder (its parent folders created).
    pub fn path(&self, name: &str) -> Result<PathBuf> {
        let path = self.dir.join(name);
        if let Some(d) = path.parent() {
            fs::create_dir_all(d).map_err(write_err(d))?;
        }
        Ok(path)
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
        self.swap_in()?;
        self.committed = true;
        Ok(())
    }

    fn old(&self, k: usize) -> PathBuf {
        self.parent
            .join(format!(".{}.old-{}.{k}", self.name, self.token))
    }

    fn swap_in(&self) -> Result<()> {
        let mut moved = Vec::new();
        let result = self.swap_attempts(&mut moved);
        for old in &moved {
            // Previous results, superseded (or, after a failure, put back); one that cannot be removed now is
            // removed by the next write to this target.
            let _ = fs::remove_dir_all(old);
        }
        result
    }

    fn swap_attempts(&self, moved: &mut Vec<PathBuf>) -> Result<()> {
        for k in 0..SWAP_ATTEMPTS {
            let old = self.old(k);
            let moved_now = match fs::symlink_metadata(&self.target) {
                Ok(meta) if meta.is_dir() => match fs::rename(&self.target, &old) {
                    Ok(()) => {
                        moved.push(old.clone());
                        true
                    }
                    Err(e) if e.kind() == ErrorKind::NotFound => false,
                    Err(e) => return Err(write_err(&self.target)(e)),
                },
                Ok(meta) => return Err(in_the_way(&self.target, kind_of(&meta))),
                Err(e) if e.kind() == ErrorKind::NotFound => false,
                Err(e) => return Err(write_err(&self.target)(e)),
            };
            match fs::rename(&self.dir, &self.target) {
                Ok(()) => return Ok(()),
                // Another writer put its folder there between the two renames: move it aside and go again.
                Err(_) if fs::symlink_metadata(&self.target).is_ok() && self.dir.is_dir() => {}
                Err(e) => {
                    if moved_now && fs::rename(&old, &self.target).is_ok() {
                        moved.pop();
                    }
                    return Err(write_err(&self.target)(e));
                }
            }
        }
        Err(write_err(&self.target)(std::io::Error::other(format!(
            "other processes kept replacing it; gave up after {SWAP_ATTEMPTS} attempts"
        ))))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let mut live = live();
        live.retain(|(token, ..)| *token != self.token);
        if !self.committed {
            // Cleanup after another error (or a panic), which is the one to report.
            let _ = fs::remove_dir_all(&self.dir);
        }
        // The lock goes last: while it is held, no other writer touches this writer's folders.
        if let Some((file, path)) = self.lock.take() {
            let _ = fs::remove_file(&path);
            drop(file);
        }
    }
}

/// A file or link where the folder `target` goes.
fn check_target(target: &Path) -> Result<()> {
    match fs::symlink_metadata(target) {
        Ok(meta) if !meta.is_dir() => Err(in_the_way(target, kind_of(&meta))),
        _ => Ok(()),
    }
}

/// Remove the hidden folders of writers to `name` that are gone. Best effort: what cannot be removed now only takes
/// space, and is tried again by the next write.
fn remove_abandoned(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.tmp-"), format!(".{name}.old-")];
    let locking = format!(".{name}.locking-");
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if file_name.starts_with(&locking) {
            if let Some(held) = free_and_stale(&entry.path()) {
                let _ = fs::remove_file(entry.path());
                drop(held);
            }
            continue;
        }
        let Some(rest) = prefixes
            .iter()
            .find_map(|p| file_name.strip_prefix(p.as_str()))
        else {
            continue;
        };
        let token = rest.split('.').next().unwrap_or(rest);
        if token.is_empty() {
            continue;
        }
        let lock_path = parent.join(format!(".{name}.tmp-{token}.lock"));
        if let Owner::Gone(held) = owner(&lock_path) {
            remove_folders_of(parent, name, token);
            // The lock file goes last, while still held.
            let _ = fs::remove_file(&lock_path);
            drop(held);
        }
    }
}

fn remove_folders_of(parent: &Path, name: &str, token: &str) {
    let _ = fs::remove_dir_all(parent.join(format!(".{name}.tmp-{token}")));
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let old = format!(".{name}.old-{token}.");
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&old) {
            let _ = fs::remove_dir_all(entry.path());
        }
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

/// Write one file atomically: a temporary name in the same folder, then rename. Errors name `path`; the temporary
/// file is removed whatever fails.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let (dir, name) = split(path);
    create_dirs(&dir)?;
    let tmp = dir.join(format!(".{name}.tmp-{}", token()));
    let written = fs::write(&tmp, bytes).and_then(|()| fs::rename(&tmp, path));
    written.map_err(|e| {
        // Cleanup after the error, which is the one to report.
        let _ = fs::remove_file(&tmp);
        write_err(path)(e)
    })
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
        let alive = ".seed-1.tmp-2-alive";
        let legacy = ".seed-1.tmp-999999";
        for name in [dead, alive, legacy] {
            fs::create_dir(path(name)).unwrap();
        }
        fs::create_dir(path(".seed-1.old-1-dead.0")).unwrap();
        File::create(path(&format!("{dead}.lock"))).unwrap();
        let held = File::create(path(&format!("{alive}.lock"))).unwrap();
        held.lock().unwrap();
        let old_locking = File::create(path(".seed-1.locking-3-old")).unwrap();
        old_locking
            .set_modified(SystemTime::now() - STALE_AFTER - Duration::from_secs(1))
            .unwrap();
        File::create(path(".seed-1.locking-4-new")).unwrap();
        write_folder(&target, &[OutFile::new("x.csv", b"1".to_vec())]).unwrap();
        assert_eq!(
            names_in(dir.path()),
            [
                ".seed-1.locking-4-new".to_string(),
                alive.into(),
                format!("{alive}.lock"),
                "seed-1".into()
            ]
        );
        drop(held);
    }

    #[test]
    fn threads_swapping_the_same_folder_at_once_leave_one_whole_folder() {
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
    fn a_refresh_keeps_the_other_files_and_replaces_the_named_ones_together() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("charts");
        write_folder(
            &target,
            &[
                OutFile::new("a.png", b"old a".to_vec()),
                OutFile::new("b.png", b"old b".to_vec()),
                OutFile::new("notes.txt", b"mine".to_vec()),
            ],
        )
        .unwrap();
        let staging = Staging::refresh(&target, &["a.png", "b.png"]).unwrap();
        staging.write_bytes("a.png", b"new a").unwrap();
        // Dropped before b.png is written (a failure midway): the old charts stay, all of them.
        drop(staging);
        assert_eq!(fs::read(target.join("a.png")).unwrap(), b"old a");
        let staging = Staging::refresh(&target, &["a.png", "b.png"]).unwrap();
        staging.write_bytes("a.png", b"new a").unwrap();
        staging.write_bytes("b.png", b"new b").unwrap();
        staging.commit().unwrap();
        assert_eq!(fs::read(target.join("a.png")).unwrap(), b"new a");
        assert_eq!(fs::read(target.join("b.png")).unwrap(), b"new b");
        assert_eq!(fs::read(target.join("notes.txt")).unwrap(), b"mine");
        assert_eq!(names_in(dir.path()), ["charts"]);
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
