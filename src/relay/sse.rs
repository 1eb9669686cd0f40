//! Server-sent events (`text/event-stream`) as a relay channel streams them:
//! lines of `field: value`, an empty line ending each event.

/// One event: its type (`message` unless an `event:` line names another)
/// and its data lines, joined by newlines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: String,
    pub data: String,
}

/// More than this many bytes without a line break is not an event stream
/// (GitHub's payloads stop at 25 MiB).
const MAX_PENDING: usize = 32 * 1024 * 1024;

/// The stream sent a line longer than any delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the relay sent more than 32 MiB without a line break, which is no event stream")]
pub struct TooLong;

/// Turns chunks of the stream into events; a line split across chunks is
/// kept until its end arrives.
#[derive(Debug, Default)]
pub struct Parser {
    pending: Vec<u8>,
    kind: String,
    data: String,
    has_data: bool,
}

impl Parser {
    /// The events `chunk` completes.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<Vec<Event>, TooLong> {
        self.pending.extend_from_slice(chunk);
        let mut events = Vec::new();
        let mut start = 0;
        while let Some(at) = self.pending[start..].iter().position(|&b| b == b'\n') {
            let end = start + at;
            let line = self.pending[start..end]
                .strip_suffix(b"\r")
                .unwrap_or(&self.pending[start..end]);
            let line = String::from_utf8_lossy(line).into_owned();
            events.extend(self.line(&line));
            start = end + 1;
        }
        self.pending.drain(..start);
        if self.pending.len() + self.data.len() > MAX_PENDING {
            return Err(TooLong);
        }
        Ok(events)
    }

    fn line(&mut self, line: &str) -> Option<Event> {
        if line.is_empty() {
            return self.dispatch();
        }
        if line.starts_with(':') {
            return None; // a comment, often a keep-alive
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "event" => self.kind = value.to_string(),
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            _ => {} // `id` and `retry`: the reconnect loop keeps its own pace
        }
        None
    }

    fn dispatch(&mut self) -> Option<Event> {
        let kind = std::mem::take(&mut self.kind);
        let data = std::mem::take(&mut self.data);
        if !std::mem::take(&mut self.has_data) {
            return None;
        }
        let kind = if kind.is_empty() {
            "message".to_string()
        } else {
            kind
        };
        Some(Event { kind, data })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: &str, data: &str) -> Event {
        Event {
            kind: kind.into(),
            data: data.into(),
        }
    }

    #[test]
    fn events_split_anywhere_across_chunks_come_out_whole() {
        let stream = "event: ready\ndata: {}\n\n: keep-alive\r\n\r\nevent: ping\ndata: {}\n\ndata: {\"a\":1}\ndata: {\"b\":2}\n\nid: 3\ndata:x\n\n";
        let expected = vec![
            event("ready", "{}"),
            event("ping", "{}"),
            event("message", "{\"a\":1}\n{\"b\":2}"),
            event("message", "x"),
        ];
        for size in [1, 2, 7, stream.len()] {
            let mut parser = Parser::default();
            let mut events = Vec::new();
            for chunk in stream.as_bytes().chunks(size) {
                events.extend(parser.feed(chunk).unwrap());
            }
            assert_eq!(events, expected, "chunks of {size}");
        }
    }

    #[test]
    fn an_event_without_data_is_not_dispatched() {
        let mut parser = Parser::default();
        assert_eq!(parser.feed(b"event: ready\n\n").unwrap(), vec![]);
        assert_eq!(
            parser.feed(b"data: y\n\n").unwrap(),
            vec![event("message", "y")]
        );
    }
}
