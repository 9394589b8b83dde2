//! The real `empire` binary as a child process: started in a directory, on a free port.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The binary in `dir`, with no EMPIRE_* variables inherited from the caller.
pub fn empire(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_empire"));
    command.current_dir(dir);
    for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("EMPIRE_")) {
        command.env_remove(name);
    }
    command
}

pub fn wait_within(child: &mut Child, limit: Duration) {
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            child.kill().unwrap();
            panic!("the process ran past {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Starts `serve` on a free port once it answers `/health`; returns the child and the port.
pub fn start_serve(mut command: Command) -> (Child, u16) {
    let mut child = command
        .env("EMPIRE_HTTP_ADDR", "127.0.0.1:0")
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (found, port) = std::sync::mpsc::channel();
    // Reads the port from the log, then keeps draining stderr so the server never blocks.
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stderr).lines().map_while(Result::ok);
        for line in lines.by_ref() {
            if let Some(port) = line
                .split("port=")
                .nth(1)
                .and_then(|rest| rest.trim().parse::<u16>().ok())
            {
                let _ = found.send(port);
                break;
            }
        }
        lines.for_each(drop);
    });
    let Ok(port) = port.recv_timeout(Duration::from_secs(30)) else {
        child.kill().unwrap();
        panic!("no `listening … port=N` line within 30 s");
    };
    // Serving a request means the signal handlers are installed too.
    assert_eq!(blocking_get(port, "/health"), 200);
    (child, port)
}

/// A child killed when dropped, so a failing test leaves no server behind.
pub struct KillOnDrop(pub Option<Child>);

impl KillOnDrop {
    pub fn take(mut self) -> Child {
        self.0.take().expect("the child is still here")
    }
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Some(child) = &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// SIGTERM, then the exit status must be success; returns what the process printed.
pub fn stop(mut child: Child) -> String {
    signal(&child, "-TERM");
    wait_within(&mut child, Duration::from_secs(10));
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "a graceful stop exits 0");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn signal(child: &Child, signal: &str) {
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args([signal, &pid])
            .status()
            .unwrap()
            .success()
    );
}

/// A tiny blocking GET returning the status code.
pub fn blocking_get(port: u16, path: &str) -> u16 {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response.split_whitespace().nth(1).unwrap().parse().unwrap()
}
