//! Private PostgreSQL and Redis servers on free loopback ports, started for one scenario and
//! stopped, paused or restarted by it: the machine's shared servers are never touched.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};

use crate::helpers::cluster::free_port;
use crate::helpers::process::signal;

/// Why a scenario cannot run here: a SKIP line, or a failure under `EMPIRE_CHAOS_REQUIRE=1`.
pub struct Missing(pub String);

/// `EMPIRE_CHAOS_REQUIRE=1` (CI): a missing server binary fails the scenario.
pub fn required() -> bool {
    std::env::var("EMPIRE_CHAOS_REQUIRE").is_ok_and(|value| value == "1")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// A PostgreSQL cluster of its own (`initdb` in a temp dir), listening on 127.0.0.1 only.
pub struct PrivatePostgres {
    bin: PathBuf,
    data: PathBuf,
    pub port: u16,
    /// PostgreSQL refuses to run as root: then its commands run as the `postgres` user.
    as_postgres: bool,
    dir: tempfile::TempDir,
}

impl PrivatePostgres {
    /// `EMPIRE_CHAOS_PG_BIN`, else the newest `/usr/lib/postgresql/*/bin` with `initdb` and `pg_ctl`.
    fn find_bin() -> Option<PathBuf> {
        let has_tools = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
        if let Some(dir) = std::env::var_os("EMPIRE_CHAOS_PG_BIN") {
            return Some(PathBuf::from(dir)).filter(|dir| has_tools(dir));
        }
        let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let version = entry.file_name().to_string_lossy().parse::<u32>().ok()?;
                let bin = entry.path().join("bin");
                has_tools(&bin).then_some((version, bin))
            })
            .collect();
        found.sort();
        found.pop().map(|(_, bin)| bin)
    }

    pub fn start() -> Result<PrivatePostgres, Missing> {
        let bin = Self::find_bin().ok_or_else(|| {
            Missing(match std::env::var("EMPIRE_CHAOS_PG_BIN") {
                Ok(dir) => format!("no initdb/pg_ctl in EMPIRE_CHAOS_PG_BIN={dir}"),
                Err(_) => "no initdb/pg_ctl in /usr/lib/postgresql/*/bin (install postgresql, or set EMPIRE_CHAOS_PG_BIN)".into(),
            })
        })?;
        let as_postgres = is_root();
        let dir = tempfile::Builder::new()
            .prefix("empire-chaos-pg")
            .tempdir()
            .unwrap();
        if as_postgres {
            let owned = Command::new("chown")
                .arg("postgres:")
                .arg(dir.path())
                .status()
                .unwrap();
            if !owned.success() {
                return Err(Missing(
                    "running as root, and there is no `postgres` user to run PostgreSQL as".into(),
                ));
            }
        }
        let postgres = PrivatePostgres {
            bin,
            data: dir.path().join("data"),
            port: free_port(),
            as_postgres,
            dir,
        };
        let data = postgres.data_str();
        let initdb = [
            "-D",
            &data,
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
        ];
        postgres.run("initdb", &initdb);
        postgres.start_again();
        Ok(postgres)
    }

    fn data_str(&self) -> String {
        self.data.display().to_string()
    }

    /// Runs one of PostgreSQL's programs (as `postgres` when we are root); panics on failure.
    fn run(&self, program: &str, args: &[&str]) {
        let program = self.bin.join(program);
        let mut command = if self.as_postgres {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(&program);
            command
        } else {
            Command::new(&program)
        };
        let output = command.args(args).stdin(Stdio::null()).output().unwrap();
        assert!(
            output.status.success(),
            "{} {args:?} failed: {}{}",
            program.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// `pg_ctl start`, waiting until it accepts connections.
    pub fn start_again(&self) {
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -k {}",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("postgres.log").display().to_string();
        let data = self.data_str();
        self.run(
            "pg_ctl",
            &["-D", &data, "-o", &options, "-l", &log, "-w", "start"],
        );
    }

    /// `pg_ctl stop -m fast`: sessions are ended, the server exits cleanly.
    pub fn stop_fast(&self) {
        self.run(
            "pg_ctl",
            &["-D", &self.data_str(), "-m", "fast", "-w", "stop"],
        );
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// A new database in this cluster; returns its URL.
    pub async fn create_database(&self, name: &str) -> String {
        let mut conn = AsyncPgConnection::establish(&self.url("postgres"))
            .await
            .unwrap();
        conn.batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        self.url(name)
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let program = self.bin.join("pg_ctl");
        let mut command = if self.as_postgres {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(&program);
            command
        } else {
            Command::new(&program)
        };
        // Already stopped when the scenario failed mid-outage: nothing to do then.
        let _ = command
            .args(["-D", &self.data_str(), "-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// A `redis-server` of its own on a free port, without persistence.
pub struct PrivateRedis {
    child: Option<Child>,
    pub port: u16,
    dir: tempfile::TempDir,
}

impl PrivateRedis {
    pub fn start() -> Result<PrivateRedis, Missing> {
        let found = Command::new("redis-server")
            .arg("--version")
            .output()
            .is_ok_and(|out| out.status.success());
        if !found {
            return Err(Missing(
                "no redis-server on PATH (install redis-server)".into(),
            ));
        }
        let mut redis = PrivateRedis {
            child: None,
            port: free_port(),
            dir: tempfile::Builder::new()
                .prefix("empire-chaos-redis")
                .tempdir()
                .unwrap(),
        };
        redis.start_again();
        Ok(redis)
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Starts the server again on the same port; returns once it answers PING.
    pub fn start_again(&mut self) {
        assert!(self.child.is_none(), "redis-server is already running");
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.child = Some(child);
        let started = Instant::now();
        while !self.answers_ping() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "redis-server did not answer PING on port {} within 10 s",
                self.port
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn answers_ping(&self) -> bool {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return false;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
        let mut reply = [0u8; 5];
        stream.write_all(b"PING\r\n").is_ok()
            && stream.read_exact(&mut reply).is_ok()
            && &reply == b"+PONG"
    }

    /// Stops the server (SIGTERM, no save) and waits for it to exit.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            signal(&child, "-TERM");
            crate::helpers::process::wait_within(&mut child, Duration::from_secs(10));
        }
    }

    /// SIGSTOP: the kernel still accepts connections on its socket, nothing ever answers.
    pub fn hang(&self) {
        signal(self.child.as_ref().unwrap(), "-STOP");
    }

    pub fn resume(&self) {
        signal(self.child.as_ref().unwrap(), "-CONT");
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // SIGKILL ends a stopped process too.
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
