//! A strict little HTML/XML reader for tests: every non-void element must be closed in
//! order, attributes quoted or bare; it returns the elements with their attributes and text.

use std::collections::BTreeMap;

const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param",
];

#[derive(Debug, Clone)]
pub struct Element {
    pub name: String,
    pub attrs: BTreeMap<String, String>,
    /// The markup between the tags, for closed elements.
    pub inner: String,
    /// Names of the open ancestors, outermost first.
    pub parents: Vec<String>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).map(String::as_str)
    }

    pub fn text(&self) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in self.inner.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        decode(&out)
    }
}

pub fn decode(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

pub fn parse(doc: &str, xml: bool) -> Result<Vec<Element>, String> {
    let mut elements: Vec<Element> = Vec::new();
    let mut stack: Vec<(String, usize, usize)> = Vec::new(); // name, element index, inner start
    let mut i = 0;
    while let Some(offset) = doc[i..].find('<') {
        let start = i + offset;
        let rest = &doc[start..];
        if rest.starts_with("<!--") {
            i = start + rest.find("-->").ok_or("unclosed comment")? + 3;
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            i = start + rest.find('>').ok_or("unclosed declaration")? + 1;
        } else if let Some(close) = rest.strip_prefix("</") {
            let end = close.find('>').ok_or("unclosed end tag")?;
            let name = close[..end].trim().to_ascii_lowercase();
            let (open, index, inner_start) = stack.pop().ok_or(format!("stray </{name}>"))?;
            if open != name {
                return Err(format!("</{name}> closes <{open}>"));
            }
            elements[index].inner = doc[inner_start..start].to_owned();
            i = start + 2 + end + 1;
        } else {
            let (name, attrs, self_closing, len) = start_tag(rest)?;
            let parents = stack.iter().map(|(n, _, _)| n.clone()).collect();
            elements.push(Element {
                name: name.clone(),
                attrs,
                inner: String::new(),
                parents,
            });
            i = start + len;
            let index = elements.len() - 1;
            if self_closing || (!xml && VOID.contains(&name.as_str())) {
                continue;
            }
            if !xml && (name == "script" || name == "style") {
                let close = format!("</{name}>");
                let end = doc[i..].find(&close).ok_or(format!("unclosed <{name}>"))?;
                elements[index].inner = doc[i..i + end].to_owned();
                i += end + close.len();
                continue;
            }
            stack.push((name, index, i));
        }
    }
    match stack.last() {
        Some((name, _, _)) => Err(format!("<{name}> never closed")),
        None => Ok(elements),
    }
}

type StartTag = (String, BTreeMap<String, String>, bool, usize);

fn start_tag(tag: &str) -> Result<StartTag, String> {
    let bytes: Vec<char> = tag.chars().collect();
    let mut pos = 1;
    let mut byte_len = 1;
    let mut take = |pos: &mut usize| {
        let c = bytes[*pos];
        *pos += 1;
        byte_len += c.len_utf8();
        c
    };
    let mut name = String::new();
    while pos < bytes.len() && (bytes[pos].is_ascii_alphanumeric() || bytes[pos] == ':') {
        name.push(take(&mut pos).to_ascii_lowercase());
    }
    if name.is_empty() {
        return Err(format!("bad tag near {:?}", &tag[..tag.len().min(30)]));
    }
    let mut attrs = BTreeMap::new();
    loop {
        while pos < bytes.len() && bytes[pos].is_whitespace() {
            take(&mut pos);
        }
        if pos >= bytes.len() {
            return Err(format!("unclosed <{name}"));
        }
        match bytes[pos] {
            '>' => {
                take(&mut pos);
                return Ok((name, attrs, false, byte_len));
            }
            '/' => {
                take(&mut pos);
                if bytes.get(pos) != Some(&'>') {
                    return Err(format!("stray / in <{name}>"));
                }
                take(&mut pos);
                return Ok((name, attrs, true, byte_len));
            }
            _ => {
                let mut key = String::new();
                while pos < bytes.len() && !matches!(bytes[pos], '=' | '>' | '/' | ' ' | '\n') {
                    key.push(take(&mut pos).to_ascii_lowercase());
                }
                let mut value = String::new();
                if bytes.get(pos) == Some(&'=') {
                    take(&mut pos);
                    let quote = take(&mut pos);
                    if quote != '"' && quote != '\'' {
                        return Err(format!("unquoted value for {key} in <{name}>"));
                    }
                    while pos < bytes.len() && bytes[pos] != quote {
                        value.push(take(&mut pos));
                    }
                    if pos >= bytes.len() {
                        return Err(format!("unclosed value for {key}"));
                    }
                    take(&mut pos);
                }
                if attrs.insert(key.clone(), decode(&value)).is_some() {
                    return Err(format!("duplicate attribute {key} in <{name}>"));
                }
            }
        }
    }
}
