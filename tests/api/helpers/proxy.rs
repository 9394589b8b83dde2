//! A TCP proxy on 127.0.0.1 that a test can cut (drop every connection, refuse new ones),
//! black-hole (keep connections open but drop every byte, like a silent network partition)
//! and heal.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

pub struct TcpProxy {
    pub addr: SocketAddr,
    open: Arc<AtomicBool>,
    silent: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<AbortHandle>>>,
    accept: AbortHandle,
}

impl TcpProxy {
    pub async fn start(target: SocketAddr) -> TcpProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().expect("proxy address");
        let open = Arc::new(AtomicBool::new(true));
        let silent = Arc::new(AtomicBool::new(false));
        let links: Arc<Mutex<Vec<AbortHandle>>> = Arc::default();
        let accept = tokio::spawn({
            let open = open.clone();
            let silent = silent.clone();
            let links = links.clone();
            async move {
                while let Ok((inbound, _)) = listener.accept().await {
                    if !open.load(Ordering::SeqCst) {
                        continue; // dropped: the client sees the connection close at once
                    }
                    let silent = silent.clone();
                    let link = tokio::spawn(async move {
                        if let Ok(outbound) = TcpStream::connect(target).await {
                            let (in_read, in_write) = inbound.into_split();
                            let (out_read, out_write) = outbound.into_split();
                            tokio::select! {
                                _ = forward(in_read, out_write, silent.clone()) => {}
                                _ = forward(out_read, in_write, silent) => {}
                            }
                        }
                    });
                    links.lock().expect("links").push(link.abort_handle());
                }
            }
        })
        .abort_handle();
        TcpProxy {
            addr,
            open,
            silent,
            links,
            accept,
        }
    }

    pub fn cut(&self) {
        self.open.store(false, Ordering::SeqCst);
        for link in self.links.lock().expect("links").drain(..) {
            link.abort();
        }
    }

    /// Connections stay open but every byte is dropped, both ways, until `heal`.
    pub fn black_hole(&self) {
        self.silent.store(true, Ordering::SeqCst);
    }

    pub fn heal(&self) {
        self.silent.store(false, Ordering::SeqCst);
        self.open.store(true, Ordering::SeqCst);
    }
}

/// Copies one direction until either side closes, dropping what arrives while `silent`. A
/// close while silent is not passed on either (the partition hides it) until the heal.
async fn forward(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, silent: Arc<AtomicBool>) {
    let mut buffer = vec![0u8; 16 * 1024];
    loop {
        match from.read(&mut buffer).await {
            Ok(0) | Err(_) => {
                while silent.load(Ordering::SeqCst) {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
                return;
            }
            Ok(read) => {
                if !silent.load(Ordering::SeqCst) && to.write_all(&buffer[..read]).await.is_err() {
                    return;
                }
            }
        }
    }
}

impl Drop for TcpProxy {
    fn drop(&mut self) {
        self.cut();
        self.accept.abort();
    }
}
