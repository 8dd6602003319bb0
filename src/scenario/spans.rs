//! Where each value of a scenario file sits in its text.
//!
//! serde forgets positions once a value is read, so the loader parses the text a second time with toml's spanned
//! document (`DeTable`) and keeps a map from index path (`actors[2].capability.sd`) to the byte spans of the key and
//! the value. Validation asks this map where to point. The map is built the first time it is asked, so a valid
//! scenario (which never asks) does not pay for the second parse.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::ops::Range;

use toml::de::{DeTable, DeValue};

#[derive(Debug)]
pub struct Spans {
    text: String,
    index: OnceCell<Index>,
}

#[derive(Debug, Default)]
struct Index {
    values: HashMap<String, Range<usize>>,
    keys: HashMap<String, Range<usize>>,
}

impl Spans {
    pub fn index(text: &str) -> Spans {
        Spans {
            text: text.to_string(),
            index: OnceCell::new(),
        }
    }

    fn get(&self) -> &Index {
        self.index.get_or_init(|| {
            let mut index = Index::default();
            if let Ok(doc) = DeTable::parse(&self.text) {
                index.walk_table("", doc.get_ref());
            }
            index
        })
    }

    /// The span of the value at `path`, or of the nearest enclosing value that has one.
    pub fn value(&self, path: &str) -> Option<Range<usize>> {
        let index = self.get();
        let mut p = path;
        loop {
            if let Some(s) = index.values.get(p) {
                return Some(s.clone());
            }
            if let Some(s) = index.keys.get(p) {
                return Some(s.clone());
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }

    /// The 1-based line of the value at `path`.
    pub fn line(&self, path: &str) -> Option<usize> {
        self.value(path)
            .map(|s| super::error::line_column(&self.text, s.start).0)
    }

    /// The span of the key at `path` (for unknown keys), else of its value.
    pub fn key(&self, path: &str) -> Option<Range<usize>> {
        self.get()
            .keys
            .get(path)
            .cloned()
            .or_else(|| self.value(path))
    }
}

impl Index {
    fn walk_table(&mut self, prefix: &str, table: &DeTable<'_>) {
        for (key, value) in table.iter() {
            let path = if prefix.is_empty() {
                key.get_ref().to_string()
            } else {
                format!("{prefix}.{}", key.get_ref())
            };
            self.keys.insert(path.clone(), key.span());
            self.walk_value(path, value.get_ref(), value.span());
        }
    }

    fn walk_value(&mut self, path: String, value: &DeValue<'_>, span: Range<usize>) {
        match value {
            DeValue::Table(t) => self.walk_table(&path, t),
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.walk_value(format!("{path}[{i}]"), item.get_ref(), item.span());
                }
            }
            _ => {}
        }
        self.values.insert(path, span);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_values_and_array_elements() {
        let text = "[simulation]\nrounds = 5\n\n[[actors]]\nid = \"A\"\n[[actors]]\nid = \"B\"\ncapability = { dist = \"normal\", mean = 1, sd = -1 }\n";
        let s = Spans::index(text);
        let r = s.value("simulation.rounds").unwrap();
        assert_eq!(&text[r], "5");
        let r = s.value("actors[1].id").unwrap();
        assert_eq!(&text[r], "\"B\"");
        let r = s.value("actors[1].capability.sd").unwrap();
        assert_eq!(&text[r], "-1");
        // A missing field points at its table.
        let r = s.value("actors[1].missing").unwrap();
        assert!(text[r.clone()].contains("id = \"B\"") || text[r].starts_with("[[actors]]"));
        let r = s.key("actors[1].capability").unwrap();
        assert_eq!(&text[r], "capability");
    }
}
