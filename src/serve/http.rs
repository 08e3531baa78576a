//! Just enough HTTP/1.1 for the preview page on the author's own machine: `GET` requests,
//! answered one per connection (`Connection: close`) with a length, plus one kind of
//! long answer, a server-sent event stream, which stays open and is written to as
//! builds finish. A thread per connection; requests with a body, or headers beyond
//! 16 KiB, are refused.
//!
//! Why not an HTTP crate: a server-sent event stream needs each event flushed to the
//! socket as it happens, which small synchronous servers (tiny_http) do not promise,
//! and the async ones bring a runtime. What the preview needs of HTTP is this file.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// The largest request head read.
const MAX_HEAD: u64 = 16 * 1024;

/// A request's target: its path, percent-decoded, and its query string.
#[derive(Debug, PartialEq)]
pub struct Request {
    /// `/epub/OEBPS/one.xhtml`.
    pub path: String,
    /// What follows `?`, undecoded; empty when none.
    pub query: String,
}

impl Request {
    /// The value of query parameter `name`, percent-decoded.
    pub fn param(&self, name: &str) -> Option<String> {
        self.query.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (k == name).then(|| decode(v)).flatten()
        })
    }
}

/// What the server sends back.
pub enum Response {
    /// A complete body.
    Body {
        /// 200, 404…
        status: u16,
        /// The media type.
        content_type: &'static str,
        /// The bytes.
        body: Vec<u8>,
    },
    /// An event stream: the connection is handed over to the caller.
    Events,
}

impl Response {
    /// A 200 answer.
    pub fn ok(content_type: &'static str, body: impl Into<Vec<u8>>) -> Response {
        Response::Body { status: 200, content_type, body: body.into() }
    }

    /// A plain-text error answer.
    pub fn error(status: u16, message: &str) -> Response {
        Response::Body {
            status,
            content_type: "text/plain; charset=utf-8",
            body: message.as_bytes().to_vec(),
        }
    }
}

/// Reads one request head from `stream`. `Err` holds the status to refuse it with.
pub fn read_request(stream: &TcpStream) -> Result<Request, u16> {
    stream.set_read_timeout(Some(Duration::from_secs(10))).map_err(|_| 400u16)?;
    let mut reader = BufReader::new(stream.take(MAX_HEAD));
    let mut line = String::new();
    reader.read_line(&mut line).map_err(|_| 400u16)?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    // The rest of the head; a body is never expected.
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) => return Err(431),
            Ok(_) if header == "\r\n" || header == "\n" => break,
            Ok(_) => {
                let lower = header.to_ascii_lowercase();
                if lower.starts_with("content-length:")
                    && lower.trim_end() != "content-length: 0"
                    || lower.starts_with("transfer-encoding:")
                {
                    return Err(400);
                }
            }
            Err(_) => return Err(400),
        }
    }
    if method != "GET" && method != "HEAD" {
        return Err(405);
    }
    parse_target(target).ok_or(400)
}

/// Splits and decodes a request target; `None` when it is not an absolute path or its
/// escapes do not decode to UTF-8.
pub fn parse_target(target: &str) -> Option<Request> {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let path = decode(path)?;
    path.starts_with('/').then(|| Request { path, query: query.to_string() })
}

/// Percent-decoding (and `+` as a space, which only query strings use, harmlessly
/// applied to paths too: no path the preview serves holds a `+`).
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        _ => "Error",
    }
}

/// Writes a complete answer and closes.
pub fn write_body(
    mut stream: &TcpStream,
    status: u16,
    content_type: &str,
    body: &[u8],
) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        reason(status),
        body.len()
    )?;
    stream.write_all(body)?;
    stream.flush()
}

/// Starts an event stream on `stream`: the head, then events written by [`send_event`].
pub fn start_events(mut stream: &TcpStream) -> std::io::Result<()> {
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
          Connection: keep-alive\r\n\r\n",
    )?;
    stream.flush()
}

/// Writes one server-sent event whose data is `data` (one line, no newline in it).
pub fn send_event(mut stream: &TcpStream, name: &str, data: &str) -> std::io::Result<()> {
    write!(stream, "event: {name}\ndata: {}\n\n", data.replace('\n', " "))?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::parse_target;

    #[test]
    fn targets_are_split_and_decoded() {
        let r = parse_target("/source?file=01-a%20b.md&line=3").unwrap();
        assert_eq!(r.path, "/source");
        assert_eq!(r.param("file").as_deref(), Some("01-a b.md"));
        assert_eq!(r.param("line").as_deref(), Some("3"));
        assert_eq!(r.param("none"), None);
        assert_eq!(parse_target("/a%2e%2e/b").unwrap().path, "/a../b");
        assert!(parse_target("http://x/").is_none());
        assert!(parse_target("/%ff").is_none());
        assert!(parse_target("/%4").is_none());
    }
}
