//! install.sh against a fake release served on 127.0.0.1 (DOSSIER_RELEASES_URL): archives made by
//! scripts/release-archive for every target, each holding a stand-in `dossier` that prints its
//! target. The right archive is chosen for the machine (and for macOS and Windows through a
//! stand-in `uname`), a checksum mismatch is refused with a clear message and nothing is left
//! half-installed.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

const VERSION: &str = "9.9.9";
const TARGETS: [&str; 5] = [
    "x86_64-unknown-linux-gnu",
    "aarch64-unknown-linux-gnu",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
];

/// A release folder served over HTTP, recording the paths asked for.
struct Release {
    root: tempfile::TempDir,
    server: Arc<tiny_http::Server>,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Release {
    /// `download/v9.9.9/` and `latest/download/` with every archive and SHA256SUMS.
    fn new() -> Release {
        let root = tempfile::tempdir().unwrap();
        let dist = root.path().join(format!("download/v{VERSION}"));
        let fake = root.path().join("fake");
        std::fs::create_dir_all(&fake).unwrap();
        for t in TARGETS {
            let bin = fake.join(t);
            std::fs::write(&bin, format!("#!/bin/sh\necho 'dossier {VERSION} ({t})'\n")).unwrap();
            let o = Command::new(manifest_dir().join("scripts/release-archive"))
                .arg(t)
                .arg(&bin)
                .arg(&dist)
                .output()
                .unwrap();
            assert!(o.status.success(), "release-archive: {}", String::from_utf8_lossy(&o.stderr));
        }
        copy_tree(&dist, &root.path().join("latest/download"));
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (s, r, dir) = (server.clone(), requests.clone(), root.path().to_path_buf());
        std::thread::spawn(move || serve(&s, &r, &dir));
        Release { root, server, requests }
    }

    fn url(&self) -> String {
        format!("http://{}", self.server.server_addr().to_ip().unwrap())
    }

    fn requests(&self) -> Vec<String> {
        std::mem::take(&mut *self.requests.lock().unwrap())
    }

    fn file(&self, rel: &str) -> PathBuf {
        self.root.path().join(rel)
    }
}

impl Drop for Release {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

fn serve(server: &tiny_http::Server, requests: &Mutex<Vec<String>>, root: &Path) {
    while let Ok(req) = server.recv() {
        let path = req.url().to_string();
        requests.lock().unwrap().push(path.clone());
        let file = root.join(path.trim_start_matches('/'));
        let resp = match std::fs::read(&file) {
            Ok(body) if !path.contains("..") => tiny_http::Response::from_data(body).with_status_code(200),
            _ => tiny_http::Response::from_data(b"not found".to_vec()).with_status_code(404),
        };
        let _ = req.respond(resp);
    }
}

/// Runs install.sh with the release's URL, HOME and TMPDIR inside `home`, and `path_first`
/// (stand-in commands) before the system PATH.
fn install(rel: &Release, home: &Path, path_first: Option<&Path>, args: &[&str]) -> Output {
    let tmpdir = home.join("tmp");
    std::fs::create_dir_all(&tmpdir).unwrap();
    let path = match path_first {
        Some(p) => format!("{}:/usr/bin:/bin", p.display()),
        None => "/usr/bin:/bin".to_string(),
    };
    Command::new("sh")
        .arg(manifest_dir().join("install.sh"))
        .args(args)
        .env_clear()
        .env("PATH", path)
        .env("HOME", home)
        .env("TMPDIR", &tmpdir)
        .env("DOSSIER_RELEASES_URL", rel.url())
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

fn run_binary(bin: &Path) -> String {
    let o = Command::new(bin).output().unwrap();
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

fn this_machine() -> String {
    let arch = match std::env::consts::ARCH {
        "aarch64" => "aarch64",
        _ => "x86_64",
    };
    format!("{arch}-unknown-linux-gnu")
}

/// A folder with a `uname` answering `-s` and `-m` like another machine.
fn fake_uname(home: &Path, os: &str, arch: &str) -> PathBuf {
    let dir = home.join("fakebin");
    std::fs::create_dir_all(&dir).unwrap();
    let script = format!("#!/bin/sh\ncase \"$1\" in -s) echo '{os}' ;; -m) echo '{arch}' ;; *) echo '{os}' ;; esac\n");
    let p = dir.join("uname");
    std::fs::write(&p, script).unwrap();
    Command::new("chmod").arg("755").arg(&p).status().unwrap();
    dir
}

#[test]
fn installer_installs_this_machines_archive_from_the_latest_release_into_local_bin() {
    let rel = Release::new();
    let home = tempfile::tempdir().unwrap();
    let o = install(&rel, home.path(), None, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let t = this_machine();
    assert_eq!(
        rel.requests(),
        vec![format!("/latest/download/dossier-{t}.tar.gz"), "/latest/download/SHA256SUMS".to_string()]
    );
    let bin = home.path().join(".local/bin/dossier");
    assert_eq!(run_binary(&bin), format!("dossier {VERSION} ({t})"));
    assert_eq!(names(&home.path().join(".local/bin")), vec!["dossier"]);
    assert_eq!(names(&home.path().join("tmp")), Vec::<String>::new(), "the download folder is removed");
    let err = stderr(&o);
    assert!(err.contains(&format!("installed {}", bin.display())), "{err}");
    assert!(err.contains("is not on your PATH"), "{err}");
}

#[test]
fn installer_picks_the_macos_and_windows_archives_and_a_given_version() {
    let rel = Release::new();
    let home = tempfile::tempdir().unwrap();
    let to = home.path().join("bin");
    let to_s = to.to_str().unwrap();
    for (os, arch, target, exe) in [
        ("Darwin", "arm64", "aarch64-apple-darwin.tar.gz", "dossier"),
        ("Darwin", "x86_64", "x86_64-apple-darwin.tar.gz", "dossier"),
        ("Linux", "aarch64", "aarch64-unknown-linux-gnu.tar.gz", "dossier"),
        ("MINGW64_NT-10.0-26100", "x86_64", "x86_64-pc-windows-msvc.zip", "dossier.exe"),
    ] {
        let fake = fake_uname(home.path(), os, arch);
        let o = install(&rel, home.path(), Some(&fake), &["--version", VERSION, "--to", to_s]);
        assert!(o.status.success(), "{os} {arch}: {}", stderr(&o));
        assert_eq!(
            rel.requests(),
            vec![format!("/download/v{VERSION}/dossier-{target}"), format!("/download/v{VERSION}/SHA256SUMS")],
            "{os} {arch}"
        );
        let triple = target.trim_end_matches(".tar.gz").trim_end_matches(".zip");
        assert_eq!(run_binary(&to.join(exe)), format!("dossier {VERSION} ({triple})"));
    }
    // --target overrides the detection; an unknown machine is refused with the source route.
    let o = install(&rel, home.path(), None, &["--target", "x86_64-apple-darwin", "--to", to_s]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(run_binary(&to.join("dossier")), format!("dossier {VERSION} (x86_64-apple-darwin)"));
    let fake = fake_uname(home.path(), "Linux", "riscv64");
    let o = install(&rel, home.path(), Some(&fake), &["--to", to_s]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(
            "no prebuilt dossier for the riscv64 architecture; install from source: cargo install dossier-ssg"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn installer_refuses_a_checksum_mismatch_and_keeps_the_installed_binary() {
    let rel = Release::new();
    let home = tempfile::tempdir().unwrap();
    let to = home.path().join("bin");
    std::fs::create_dir_all(&to).unwrap();
    std::fs::write(to.join("dossier"), "#!/bin/sh\necho old\n").unwrap();
    // The archive is changed after SHA256SUMS was written (a corrupt or tampered download).
    let t = this_machine();
    let archive = rel.file(&format!("latest/download/dossier-{t}.tar.gz"));
    let mut bytes = std::fs::read(&archive).unwrap();
    bytes.extend_from_slice(b"tampered");
    std::fs::write(&archive, bytes).unwrap();
    let o = install(&rel, home.path(), None, &["--to", to.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains(&format!("error: checksum mismatch for dossier-{t}.tar.gz: SHA256SUMS says ")), "{err}");
    assert!(err.contains("nothing was installed"), "{err}");
    assert_eq!(names(&to), vec!["dossier"], "no partial file beside it");
    assert_eq!(std::fs::read_to_string(to.join("dossier")).unwrap(), "#!/bin/sh\necho old\n");
    assert_eq!(names(&home.path().join("tmp")), Vec::<String>::new());
}

#[test]
fn installer_refuses_an_archive_sha256sums_does_not_name_and_a_missing_release() {
    let rel = Release::new();
    let home = tempfile::tempdir().unwrap();
    let to = home.path().join("bin");
    let t = this_machine();
    let sums = rel.file("latest/download/SHA256SUMS");
    let kept: String =
        std::fs::read_to_string(&sums).unwrap().lines().filter(|l| !l.contains(&t)).map(|l| format!("{l}\n")).collect();
    std::fs::write(&sums, kept).unwrap();
    let o = install(&rel, home.path(), None, &["--to", to.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(&format!("SHA256SUMS has no line for dossier-{t}.tar.gz: refusing to install it")),
        "{}",
        stderr(&o)
    );
    assert_eq!(names(&to), Vec::<String>::new());

    let o = install(&rel, home.path(), None, &["--version", "1.2.3", "--to", to.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "cannot download {}/download/v1.2.3/dossier-{t}.tar.gz (is v1.2.3 released for {t}?)",
            rel.url()
        )),
        "{err}"
    );
    assert_eq!(names(&to), Vec::<String>::new());
    assert_eq!(names(&home.path().join("tmp")), Vec::<String>::new());
}

#[test]
fn release_archive_holds_the_binary_docs_and_licences_and_sha256sums_checks() {
    let rel = Release::new();
    let dist = rel.file(&format!("download/v{VERSION}"));
    let listing =
        Command::new("tar").arg("-tzf").arg(dist.join("dossier-x86_64-unknown-linux-gnu.tar.gz")).output().unwrap();
    let mut files: Vec<String> = String::from_utf8_lossy(&listing.stdout).lines().map(str::to_string).collect();
    files.sort();
    assert_eq!(files, vec!["CHANGELOG.md", "LICENSE-APACHE", "LICENSE-MIT", "README.md", "dossier"]);
    let zip = Command::new("unzip").arg("-Z1").arg(dist.join("dossier-x86_64-pc-windows-msvc.zip")).output().unwrap();
    let mut files: Vec<String> = String::from_utf8_lossy(&zip.stdout).lines().map(str::to_string).collect();
    files.sort();
    assert_eq!(files, vec!["CHANGELOG.md", "LICENSE-APACHE", "LICENSE-MIT", "README.md", "dossier.exe"]);
    let check = Command::new("sha256sum").arg("-c").arg("SHA256SUMS").current_dir(&dist).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    assert_eq!(String::from_utf8_lossy(&check.stdout).matches(": OK").count(), TARGETS.len());
    // The same binary gives the same archive (sorted names, fixed owner and time).
    let again = rel.root.path().join("again");
    let bin = rel.file("fake/x86_64-unknown-linux-gnu");
    let o = Command::new(manifest_dir().join("scripts/release-archive"))
        .arg("x86_64-unknown-linux-gnu")
        .arg(&bin)
        .arg(&again)
        .output()
        .unwrap();
    assert!(o.status.success());
    let name = "dossier-x86_64-unknown-linux-gnu.tar.gz";
    assert_eq!(std::fs::read(again.join(name)).unwrap(), std::fs::read(dist.join(name)).unwrap());
}

#[test]
fn installer_without_home_or_to_refuses_before_downloading() {
    let rel = Release::new();
    let o = Command::new("sh")
        .arg(manifest_dir().join("install.sh"))
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("DOSSIER_RELEASES_URL", rel.url())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no install directory: HOME is not set; pass --to DIR"), "{}", stderr(&o));
    assert_eq!(rel.requests(), Vec::<String>::new());
}

#[test]
fn action_install_step_installs_the_pinned_version_into_its_cache_folder() {
    // action.yml's install step: scripts/release-action install with the resolved outputs.
    let rel = Release::new();
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("toolcache/dossier/9.9.9/X64");
    let o = Command::new("bash")
        .arg(manifest_dir().join("scripts/release-action"))
        .arg("install")
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("VERSION", VERSION)
        .env("DIR", &dir)
        .env("DOSSIER_RELEASES_URL", rel.url())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let t = this_machine();
    assert_eq!(rel.requests()[0], format!("/download/v{VERSION}/dossier-{t}.tar.gz"));
    assert_eq!(run_binary(&dir.join("dossier")), format!("dossier {VERSION} ({t})"));
}
