//! Where things are in a JSON text that serde_json has accepted: the byte offsets of the
//! top-level object's values and of the elements of one of its arrays, so that a bad entry
//! can be reported at the line its object starts on.

use std::collections::HashMap;

/// The offsets found in a JSON object's text.
#[derive(Debug, Default)]
pub struct Layout {
    /// Each top-level key (decoded) and the offset of its value; a repeated key keeps its
    /// last value, as serde_json does.
    pub keys: HashMap<String, usize>,
    /// The offsets of the elements of the (last) array under the key asked for.
    pub elements: Vec<usize>,
}

/// The layout of `text`, whose top level is an object, with the elements of the array under
/// `array_key`. `None` when `text` is not a JSON object (it should have been checked first).
pub fn layout(text: &str, array_key: &str) -> Option<Layout> {
    let b = text.as_bytes();
    let mut out = Layout::default();
    let mut i = ws(b, 0);
    if *b.get(i)? != b'{' {
        return None;
    }
    i = ws(b, i + 1);
    if *b.get(i)? == b'}' {
        return Some(out);
    }
    loop {
        let key_end = string(b, i)?;
        let key: String = serde_json::from_str(text.get(i..key_end)?).ok()?;
        i = ws(b, key_end);
        if *b.get(i)? != b':' {
            return None;
        }
        i = ws(b, i + 1);
        let at = i;
        if key == array_key && *b.get(at)? == b'[' {
            let mut elements = Vec::new();
            i = array(b, at, Some(&mut elements))?;
            out.elements = elements;
        } else {
            i = value(b, at)?;
        }
        out.keys.insert(key, at);
        i = ws(b, i);
        match *b.get(i)? {
            b',' => i = ws(b, i + 1),
            b'}' => return Some(out),
            _ => return None,
        }
    }
}

/// The 1-based line of byte `offset` in `text`.
pub fn line_at(text: &str, offset: usize) -> usize {
    1 + text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// The 1-based lines of `offsets` (in ascending order) in `text`, in one pass.
pub fn lines_at(text: &str, offsets: &[usize]) -> Vec<usize> {
    let b = text.as_bytes();
    let (mut at, mut line) = (0, 1);
    offsets
        .iter()
        .map(|&o| {
            let o = o.clamp(at, b.len());
            line += b[at..o].iter().filter(|&&c| c == b'\n').count();
            at = o;
            line
        })
        .collect()
}

fn ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The end of the string starting at `i` (a `"`).
fn string(b: &[u8], i: usize) -> Option<usize> {
    if *b.get(i)? != b'"' {
        return None;
    }
    let mut j = i + 1;
    loop {
        match *b.get(j)? {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
}

/// The end of the value starting at `i`.
fn value(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => string(b, i),
        b'[' => array(b, i, None),
        b'{' => object(b, i),
        _ => {
            let mut j = i;
            while !matches!(
                b.get(j),
                None | Some(b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r')
            ) {
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

/// The end of the array starting at `i`, noting its elements' offsets in `elements`.
fn array(b: &[u8], i: usize, mut elements: Option<&mut Vec<usize>>) -> Option<usize> {
    let mut j = ws(b, i + 1);
    if *b.get(j)? == b']' {
        return Some(j + 1);
    }
    loop {
        if let Some(e) = elements.as_deref_mut() {
            e.push(j);
        }
        j = ws(b, value(b, j)?);
        match *b.get(j)? {
            b',' => j = ws(b, j + 1),
            b']' => return Some(j + 1),
            _ => return None,
        }
    }
}

/// The end of the object starting at `i`.
fn object(b: &[u8], i: usize) -> Option<usize> {
    let mut j = ws(b, i + 1);
    if *b.get(j)? == b'}' {
        return Some(j + 1);
    }
    loop {
        j = ws(b, string(b, j)?);
        if *b.get(j)? != b':' {
            return None;
        }
        j = ws(b, value(b, ws(b, j + 1))?);
        match *b.get(j)? {
            b',' => j = ws(b, j + 1),
            b'}' => return Some(j + 1),
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_and_elements() {
        let text = "{\"a\": \"x\\\"}\",\n \"entr\\u0069es\": [\n  {\"n\": [1, {}]},\n  \"s\" , 3e5\n ],\n\"z\":null}";
        let l = layout(text, "entries").expect("layout");
        assert_eq!(lines_at(text, &l.elements), [3, 4, 4]);
        assert_eq!(&text[l.elements[2]..l.elements[2] + 3], "3e5");
        assert_eq!(line_at(text, l.keys["z"]), 6);
        assert_eq!(&text[l.keys["a"]..l.keys["a"] + 1], "\"");
        assert!(layout("[1]", "entries").is_none());
        assert!(layout(" {} ", "entries").is_some_and(|l| l.keys.is_empty()));
    }
}
