//! Paths normalised against a repository root, so that `x.json`, `./x.json` and the absolute
//! path name one file in baselines, per-path ignores and SARIF locations.

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

/// `p.display().to_string()`: a UTF-8 path is its own text, copied without the formatter's
/// lossy conversion (about 1,700 instructions a path); every file of a walk is named so.
pub fn display_string(p: &Path) -> String {
    p.to_str()
        .map_or_else(|| p.display().to_string(), str::to_owned)
}

/// [`Path::file_name`] as UTF-8 (`None` when it is not), without parsing the whole path into
/// components when its last `/`-separated part is a plain name (what a walk gives): that
/// part is the name `Path::file_name` finds, as trailing separators and `.` are the only
/// things it skips from the end. Every file of a walk asks for it, several times.
pub fn file_name_str(p: &Path) -> Option<&str> {
    if cfg!(unix) {
        let b = p.as_os_str().as_encoded_bytes();
        let last = crate::swar::last_byte(b, b'/').map_or(b, |i| &b[i + 1..]);
        if !last.is_empty() && last != b"." && last != b".." {
            return std::str::from_utf8(last).ok();
        }
    }
    p.file_name()?.to_str()
}

/// The nearest directory at or above `start` that holds `.git` (a directory, or the file of a
/// worktree or submodule).
pub fn repo_root(start: &Path) -> Option<PathBuf> {
    let start = absolute(start);
    start
        .ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// `p` made absolute against the current directory and cleaned lexically: `.` components
/// dropped, `..` applied (symbolic links are not resolved, as a shell's `cd` would not).
pub fn absolute(p: &Path) -> PathBuf {
    let joined;
    let p = if p.is_absolute() {
        p
    } else {
        joined = std::env::current_dir().unwrap_or_default().join(p);
        &joined
    };
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `p` relative to `base` with `/` separators when it lies under `base`, else its cleaned
/// absolute path (also with `/`).
pub fn relative_to(p: &Path, base: &Path) -> String {
    let abs = absolute(p);
    let rel = abs.strip_prefix(base).unwrap_or(&abs);
    slash(rel)
}

fn slash(p: &Path) -> String {
    let parts: Vec<Cow<'_, str>> = p
        .components()
        .enumerate()
        .filter_map(|(i, c)| match c {
            // `/a` → ["", "a"]; after a Windows prefix (`C:`) the root adds nothing
            Component::RootDir => (i == 0).then_some(Cow::Borrowed("")),
            Component::Prefix(x) => Some(x.as_os_str().to_string_lossy()),
            Component::Normal(x) => Some(x.to_string_lossy()),
            _ => None,
        })
        .collect();
    let s = parts.join("/");
    if s.is_empty() && p.has_root() {
        "/".into()
    } else {
        s
    }
}

/// The current directory and the base that [`normalized`] names files against: the
/// repository root of the current directory, else the current directory.
fn base() -> &'static (PathBuf, PathBuf) {
    static BASE: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    BASE.get_or_init(|| {
        let cwd = absolute(Path::new("."));
        let root = repo_root(&cwd).unwrap_or_else(|| cwd.clone());
        (cwd, root)
    })
}

/// The repository root of the current directory (else the current directory).
pub fn root() -> &'static Path {
    &base().1
}

/// A document name (`path` or `path#role/x/trust`) with its path relative to [`root`]: the
/// name fingerprints and SARIF use. `<stdin>` and other names that are not paths are kept.
pub fn normalized(name: &str) -> Cow<'_, str> {
    if name.starts_with('<') {
        return Cow::Borrowed(name);
    }
    let (file, rest) = match name.find('#') {
        Some(i) => name.split_at(i),
        None => (name, ""),
    };
    let (cwd, root) = base();
    // fast path: a clean relative path, named from the root itself
    let clean = !file.is_empty()
        && !file.starts_with('/')
        && !file.contains('\\')
        && file
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..");
    if clean && cwd == root && !Path::new(file).is_absolute() {
        return Cow::Borrowed(name);
    }
    // fast path: a clean absolute path (as a walk of an absolute directory names its files),
    // where cleaning it and stripping the root component by component change nothing but
    // the root's text at its start
    let clean_absolute = cfg!(unix)
        && file.len() > 1
        && file.starts_with('/')
        && !file.contains('\\')
        && file[1..]
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..");
    if let (true, Some(r)) = (clean_absolute, root.to_str()) {
        let under = if r == "/" {
            Some(&file[1..])
        } else if file == r {
            Some("")
        } else {
            file.strip_prefix(r).and_then(|x| x.strip_prefix('/'))
        };
        let mut s = under.unwrap_or(file).to_string();
        s.push_str(rest);
        return Cow::Owned(s);
    }
    let mut s = relative_to(Path::new(file), root);
    s.push_str(rest);
    Cow::Owned(s)
}

/// A path written with `/` as a URI reference (RFC 3986) for SARIF's `artifactLocation.uri`:
/// a relative path stays relative, an absolute one becomes a `file://` URI, and every byte
/// outside the unreserved and path characters is percent-encoded (a space, `%`, `#`, `?`, and
/// `:` in a relative path, where it would read as a scheme).
pub fn to_uri(path: &str) -> String {
    let absolute = path.starts_with('/')
        || (path.len() >= 2
            && path.as_bytes()[1] == b':'
            && path.as_bytes()[0].is_ascii_alphabetic());
    let mut out = String::with_capacity(path.len() + 8);
    if absolute {
        out.push_str("file://");
        if !path.starts_with('/') {
            out.push('/');
        }
    }
    for (i, b) in path.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || b"-._~/!$&'()*+,;=@".contains(&b)
            || (b == b':' && absolute && i == 1);
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris() {
        use super::to_uri;
        assert_eq!(to_uri("policies/a b.json"), "policies/a%20b.json");
        assert_eq!(to_uri("/tmp/x#1.json"), "file:///tmp/x%231.json");
        assert_eq!(to_uri("C:/p/x.json"), "file:///C:/p/x.json");
        assert_eq!(
            to_uri("arn:aws:iam::aws:policy/X"),
            "arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy/X"
        );
        assert_eq!(to_uri("100%.json"), "100%25.json");
    }

    use super::*;

    #[test]
    fn spellings_of_one_file_agree() {
        let root = absolute(Path::new("."));
        let a = relative_to(Path::new("x.json"), &root);
        let b = relative_to(Path::new("./x.json"), &root);
        let c = relative_to(&root.join("x.json"), &root);
        let d = relative_to(Path::new("sub/../x.json"), &root);
        assert_eq!(a, "x.json");
        assert_eq!(
            (b.as_str(), c.as_str(), d.as_str()),
            ("x.json", "x.json", "x.json")
        );
        assert_eq!(
            relative_to(Path::new("/elsewhere/y.json"), &root),
            "/elsewhere/y.json"
        );
        assert_eq!(normalized("<stdin>"), "<stdin>");
        assert_eq!(
            normalized("./a/b.json#role/r/trust"),
            normalized("a/b.json#role/r/trust")
        );
    }

    /// The fast path for clean absolute names gives what cleaning and stripping the root
    /// component by component gives.
    #[test]
    fn absolute_names_agree_with_the_general_path() {
        let root = root();
        let r = root.display().to_string();
        let parent = root
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        for name in [
            format!("{r}/x.json"),
            format!("{r}/a/b.json#role/r/trust"),
            format!("{r}x/y.json"),
            r.clone(),
            format!("{parent}/other/z.json"),
            "/elsewhere/y.json".to_string(),
            "/".to_string(),
            format!("{r}/./a/../b.json"),
            format!("{r}//c.json"),
        ] {
            let (file, rest) = name.split_at(name.find('#').unwrap_or(name.len()));
            let want = relative_to(Path::new(file), root) + rest;
            assert_eq!(normalized(&name), want, "{name}");
        }
    }

    #[test]
    fn repository_root_is_found_from_below() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join(".git")).unwrap();
        std::fs::create_dir_all(d.path().join("a/b")).unwrap();
        assert_eq!(
            repo_root(&d.path().join("a/b")).as_deref(),
            Some(absolute(d.path()).as_path())
        );
    }
}
