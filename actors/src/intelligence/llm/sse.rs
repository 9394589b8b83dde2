//! A server-sent-events parser fed with raw byte chunks: named events, multi-line data, comments,
//! CRLF, and chunks that split lines (or UTF-8 characters) anywhere.

/// One dispatched event. `event` is `None` when the server sent no `event:` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    pub event: Option<String>,
    pub data: String,
}

impl SseEvent {
    /// OpenAI's end-of-stream sentinel, `data: [DONE]`.
    pub fn is_done(&self) -> bool {
        self.data.trim() == "[DONE]"
    }
}

/// Incremental parser. Feed it chunks as they arrive; it returns the events they complete.
#[derive(Debug, Default)]
pub struct SseParser {
    /// Bytes of a line not yet ended.
    line: Vec<u8>,
    /// The previous chunk ended in `\r`; a leading `\n` in the next one belongs to it.
    after_cr: bool,
    event: Option<String>,
    data: Vec<String>,
}

impl SseParser {
    pub fn new() -> Self {
        Self::default()
    }

    /// Consumes `chunk`, returning every event it completed, in order.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        let mut events = Vec::new();
        for &byte in chunk {
            if self.after_cr {
                self.after_cr = false;
                if byte == b'\n' {
                    continue;
                }
            }
            match byte {
                b'\n' | b'\r' => {
                    self.after_cr = byte == b'\r';
                    let line = std::mem::take(&mut self.line);
                    if let Some(event) = self.line_ended(&line) {
                        events.push(event);
                    }
                }
                _ => self.line.push(byte),
            }
        }
        events
    }

    /// The stream ended: a last event not followed by a blank line still counts.
    pub fn finish(&mut self) -> Option<SseEvent> {
        let line = std::mem::take(&mut self.line);
        let pending = if line.is_empty() {
            None
        } else {
            self.line_ended(&line)
        };
        pending.or_else(|| self.dispatch())
    }

    fn line_ended(&mut self, line: &[u8]) -> Option<SseEvent> {
        if line.is_empty() {
            return self.dispatch();
        }
        let line = String::from_utf8_lossy(line);
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_ref(), ""),
        };
        match field {
            "event" => self.event = Some(value.to_owned()),
            "data" => self.data.push(value.to_owned()),
            // `id` and `retry` matter only to reconnecting browsers.
            _ => {}
        }
        None
    }

    fn dispatch(&mut self) -> Option<SseEvent> {
        let event = self.event.take();
        if self.data.is_empty() {
            return None;
        }
        let data = std::mem::take(&mut self.data).join("\n");
        Some(SseEvent { event, data })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(chunks: &[&[u8]]) -> Vec<SseEvent> {
        let mut parser = SseParser::new();
        let mut events: Vec<SseEvent> = chunks.iter().flat_map(|c| parser.feed(c)).collect();
        events.extend(parser.finish());
        events
    }

    fn event(name: Option<&str>, data: &str) -> SseEvent {
        SseEvent {
            event: name.map(str::to_owned),
            data: data.to_owned(),
        }
    }

    #[test]
    fn named_events_multi_line_data_and_comments() {
        let body = b": keep-alive\n\nevent: message_start\ndata: {\"a\":1}\n\ndata: line one\ndata: line two\n\ndata: [DONE]\n\n";
        let events = parse_all(&[body]);
        assert_eq!(
            events,
            vec![
                event(Some("message_start"), "{\"a\":1}"),
                event(None, "line one\nline two"),
                event(None, "[DONE]"),
            ]
        );
        assert!(events[2].is_done());
        assert!(!events[0].is_done());
    }

    #[test]
    fn chunks_may_split_anywhere_including_crlf_and_utf8() {
        let body = "event: delta\r\ndata: Grüße\r\n\r\ndata:no-space\r\n\r\n".as_bytes();
        let whole = parse_all(&[body]);
        for split in 1..body.len() {
            let (a, b) = body.split_at(split);
            assert_eq!(parse_all(&[a, b]), whole, "split at byte {split}");
        }
        assert_eq!(
            whole,
            vec![event(Some("delta"), "Grüße"), event(None, "no-space")]
        );
    }

    #[test]
    fn a_last_event_without_a_blank_line_is_kept_and_empty_events_are_dropped() {
        assert_eq!(
            parse_all(&[b"event: ping\n\ndata: {\"x\":2}"]),
            vec![event(None, "{\"x\":2}")]
        );
    }
}
