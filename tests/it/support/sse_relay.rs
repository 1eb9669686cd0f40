//! A webhook relay channel like smee.io's, on a loopback port: it answers
//! `GET /channel` with server-sent events, scripted per connection. Every
//! connection but the last is closed once its events are sent, so a
//! subscriber has to reconnect; the last stays open with keep-alive pings.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub struct SseRelay {
    /// The channel URL, for `WEBHOOK_PROXY_URL`.
    pub url: String,
    /// The head of each request the channel was opened with, in order.
    requests: Arc<Mutex<Vec<String>>>,
    task: JoinHandle<()>,
}

impl SseRelay {
    /// Serves `script[n]` (raw event-stream text) on the n-th connection.
    pub async fn start(script: Vec<Vec<String>>) -> SseRelay {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/channel", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        let task = tokio::spawn(async move {
            for n in 0.. {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let events = script.get(n).cloned().unwrap_or_default();
                let last = n + 1 >= script.len();
                let seen = seen.clone();
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") {
                        if socket.read(&mut byte).await.unwrap_or(0) == 0 {
                            return;
                        }
                        head.push(byte[0]);
                    }
                    seen.lock()
                        .unwrap()
                        .push(String::from_utf8_lossy(&head).into_owned());
                    let mut out = String::from(
                        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n",
                    );
                    for event in events {
                        out.push_str(&event);
                    }
                    if socket.write_all(out.as_bytes()).await.is_err() {
                        return;
                    }
                    if last {
                        loop {
                            tokio::time::sleep(Duration::from_millis(500)).await;
                            if socket.write_all(ping().as_bytes()).await.is_err() {
                                return;
                            }
                        }
                    }
                    let _ = socket.shutdown().await;
                });
            }
        });
        SseRelay {
            url,
            requests,
            task,
        }
    }

    /// The heads of the requests that opened the channel so far.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for SseRelay {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub fn ready() -> String {
    "event: ready\ndata: {}\n\n".into()
}

pub fn ping() -> String {
    "event: ping\ndata: {}\n\n".into()
}

/// A `message` event as smee.io sends it: the request's headers as
/// top-level keys, the payload parsed (here: `body`, inserted as it is),
/// the query and a timestamp.
pub fn message(headers: &[(String, String)], body: &str) -> String {
    let mut data = String::from("{\"host\":\"smee.io\",\"content-length\":\"1\"");
    for (name, value) in headers {
        data.push_str(&format!(
            ",{}:{}",
            serde_json::to_string(name).unwrap(),
            serde_json::to_string(value).unwrap()
        ));
    }
    data.push_str(&format!(
        ",\"body\":{body},\"query\":{{}},\"timestamp\":1764583200000}}"
    ));
    format!("data: {data}\n\n")
}
