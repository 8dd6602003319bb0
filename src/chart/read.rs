//! Reading a results folder's tables back, typed: every cell is checked as it is read, so a file that is not what
//! `ceasefire` wrote is an error naming the file, the line and the word, never a silently wrong chart.

/// Why a results folder cannot be read back. Each names the file (and the line, for a table) it is about.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(#[from] std::io::Error),

    #[error("not a folder; expected a results folder such as output/astana-2017/seed-20170504")]
    NotAFolder,

    #[error("no such folder; expected a results folder such as output/astana-2017/seed-20170504")]
    NoSuchFolder,

    #[error(
        "not a results folder: it holds neither rounds.csv (a run's), bands.csv (a batch's), compare.md (a comparison's), sweep.csv (a sweep's) nor indices.csv (a sensitivity analysis's); give a folder such as output/astana-2017/seed-20170504"
    )]
    NotResults,

    #[error(
        "summary.json: `{name}` is not a variant name ceasefire writes (lowercase letters, digits, `-`, `_`)"
    )]
    VariantName { name: String },

    #[error("compare.csv and summary.json disagree: {what} (was a file edited?)")]
    Disagree { what: String },

    #[error(
        "{file} line {line}: `{word}` in column `{column}` is outside {range}, where every value ceasefire writes lies"
    )]
    OutOfRange {
        file: &'static str,
        line: u64,
        column: String,
        word: String,
        range: &'static str,
    },

    #[error("agreement.csv line {line}: seed {seed} is not among the seeds of summary.json")]
    UnknownSeed { line: u64, seed: u64 },

    /// A variant's `bands-<variant>.csv`, read as a `bands.csv`.
    #[error("{file}: {source}")]
    OfVariant {
        file: String,
        #[source]
        source: Box<ReadError>,
    },

    #[error("{file}: {source}")]
    Csv {
        file: &'static str,
        #[source]
        source: csv::Error,
    },

    #[error("{file}: {source}")]
    Json {
        file: &'static str,
        #[source]
        source: serde_json::Error,
    },

    #[error("{file}: {source}")]
    Toml {
        file: &'static str,
        #[source]
        source: toml::de::Error,
    },

    #[error("{file}: missing column `{column}`")]
    MissingColumn { file: &'static str, column: String },

    #[error("{file} line {line}: unknown {what} `{word}` in column `{column}`")]
    UnknownWord {
        file: &'static str,
        line: u64,
        column: String,
        what: &'static str,
        word: String,
    },

    #[error("{file} line {line}: `{word}` in column `{column}` is not a number")]
    NotANumber {
        file: &'static str,
        line: u64,
        column: String,
        word: String,
    },

    #[error("drawn.toml: actor `{actor}` has unknown role `{word}`")]
    UnknownRole { actor: String, word: String },

    #[error(
        "{file} line {line}: actor `{actor}` has role `{found}`, but `{expected}` in drawn.toml"
    )]
    RoleMismatch {
        file: &'static str,
        line: u64,
        actor: String,
        found: String,
        expected: String,
    },

    #[error("drawn.toml: no ceasefire module")]
    NoCeasefireModule,

    #[error("{file} line {line}: actor `{actor}` is not in drawn.toml")]
    UnknownActor {
        file: &'static str,
        line: u64,
        actor: String,
    },

    /// A control character (other than tab, line feed and carriage return) in a text of a results file: a chart
    /// drawing it would be invalid SVG, a terminal showing it would act on it, and `ceasefire` never writes one.
    #[error(
        "{file}: {place} holds {}, a control character, which ceasefire never writes (was the file edited?)",
        crate::input::char_name(*found)
    )]
    ControlCharacter {
        file: &'static str,
        /// Where: "line 3, column `cause`", "`title`", "`actors[2].name`".
        place: String,
        found: char,
    },

    /// A results file that cannot be read whole (missing, not a regular file, too large, not UTF-8).
    #[error("{file}: {source}")]
    Input {
        file: String,
        #[source]
        source: crate::input::InputError,
    },

    #[error("{file} line {line}: round {round} outside 1..={rounds}")]
    RoundOutOfRange {
        file: &'static str,
        line: u64,
        round: usize,
        rounds: usize,
    },
}

/// The control characters a results file may hold in its texts: tab and line ends (a lesson or a description runs
/// over several lines). Every other one is refused as it is read back.
const ALLOWED_CONTROLS: [char; 3] = ['\t', '\n', '\r'];

fn first_control(text: &str) -> Option<char> {
    crate::input::first_control(text, &ALLOWED_CONTROLS).map(|(_, c)| c)
}

/// Refuse a control character in any string (or key) of a JSON results file (`summary.json`): texts read back are
/// drawn into SVG charts and printed.
pub fn check_json(file: &'static str, value: &serde_json::Value) -> Result<(), ReadError> {
    fn walk(file: &'static str, path: &str, v: &serde_json::Value) -> Result<(), ReadError> {
        let refuse = |found| ReadError::ControlCharacter {
            file,
            place: format!("`{path}`"),
            found,
        };
        match v {
            serde_json::Value::String(s) => first_control(s).map_or(Ok(()), |c| Err(refuse(c))),
            serde_json::Value::Array(items) => items
                .iter()
                .enumerate()
                .try_for_each(|(i, item)| walk(file, &format!("{path}[{i}]"), item)),
            serde_json::Value::Object(map) => map.iter().try_for_each(|(k, item)| {
                let at = join(path, k);
                match first_control(k) {
                    Some(c) => Err(ReadError::ControlCharacter {
                        file,
                        place: format!("the key `{}`", crate::input::visible(&at)),
                        found: c,
                    }),
                    None => walk(file, &at, item),
                }
            }),
            _ => Ok(()),
        }
    }
    walk(file, "", value)
}

/// Refuse a control character in any string (or key) of a TOML results file (`drawn.toml`).
pub fn check_toml(file: &'static str, doc: &toml::Table) -> Result<(), ReadError> {
    fn walk(file: &'static str, path: &str, v: &toml::Value) -> Result<(), ReadError> {
        match v {
            toml::Value::String(s) => first_control(s).map_or(Ok(()), |found| {
                Err(ReadError::ControlCharacter {
                    file,
                    place: format!("`{path}`"),
                    found,
                })
            }),
            toml::Value::Array(items) => items
                .iter()
                .enumerate()
                .try_for_each(|(i, item)| walk(file, &format!("{path}[{i}]"), item)),
            toml::Value::Table(t) => walk_table(file, path, t),
            _ => Ok(()),
        }
    }
    fn walk_table(file: &'static str, path: &str, t: &toml::Table) -> Result<(), ReadError> {
        t.iter().try_for_each(|(k, item)| {
            let at = join(path, k);
            match first_control(k) {
                Some(found) => Err(ReadError::ControlCharacter {
                    file,
                    place: format!("the key `{}`", crate::input::visible(&at)),
                    found,
                }),
                None => walk(file, &at, item),
            }
        })
    }
    walk_table(file, "", doc)
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Read one file of a results folder back, as `ceasefire chart DIR` does: at most `max_bytes` of a regular file
/// ([`crate::input::read_limited`]), as UTF-8, with no control character in its texts (every cell of a CSV table,
/// every string of `summary.json` and `drawn.toml`). `name` is the file's name in the folder (`summary.json`).
pub fn read_back(
    dir: &std::path::Path,
    name: &'static str,
    max_bytes: u64,
) -> Result<String, ReadError> {
    let text = crate::input::read_limited_text(&dir.join(name), max_bytes).map_err(|source| {
        ReadError::Input {
            file: name.to_string(),
            source,
        }
    })?;
    if name.ends_with(".json") {
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|source| ReadError::Json { file: name, source })?;
        check_json(name, &value)?;
    } else if name.ends_with(".toml") {
        let value: toml::Table =
            toml::from_str(&text).map_err(|source| ReadError::Toml { file: name, source })?;
        check_toml(name, &value)?;
    } else if !name.ends_with(".csv")
        && let Some(found) = first_control(&text)
    {
        // A CSV table is checked cell by cell as it is parsed ([`Table::parse`]), which names the column too.
        let line = text
            .split(found)
            .next()
            .map_or(1, |before| before.matches('\n').count() + 1);
        return Err(ReadError::ControlCharacter {
            file: name,
            place: format!("line {line}"),
            found,
        });
    }
    Ok(text)
}

/// One row of a table: its line in the file and its cells.
pub struct Row {
    pub line: u64,
    pub cells: Vec<String>,
}

/// Refuse a control character in the header of a CSV table read back.
pub fn check_header(file: &'static str, header: &[String]) -> Result<(), ReadError> {
    match header.iter().find_map(|h| first_control(h)) {
        Some(found) => Err(ReadError::ControlCharacter {
            file,
            place: "the header".into(),
            found,
        }),
        None => Ok(()),
    }
}

/// Refuse a control character in a row of a CSV table read back: its texts (actor ids, modules, causes) are drawn
/// into SVG charts and printed.
pub fn check_record(
    file: &'static str,
    header: &[String],
    line: u64,
    record: &csv::StringRecord,
) -> Result<(), ReadError> {
    match record
        .iter()
        .enumerate()
        .find_map(|(i, cell)| first_control(cell).map(|c| (i, c)))
    {
        Some((col, found)) => {
            let column = header.get(col).map_or("?", String::as_str);
            Err(ReadError::ControlCharacter {
                file,
                place: format!("line {line}, column `{}`", crate::input::visible(column)),
                found,
            })
        }
        None => Ok(()),
    }
}

/// A CSV table of a results folder, read whole.
pub struct Table {
    pub file: &'static str,
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

impl Table {
    pub fn parse(file: &'static str, text: &str) -> Result<Table, ReadError> {
        let csv = |source| ReadError::Csv { file, source };
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .map_err(csv)?
            .iter()
            .map(str::to_string)
            .collect();
        check_header(file, &header)?;
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(csv)?;
            let line = record.position().map_or(0, |p| p.line());
            check_record(file, &header, line, &record)?;
            rows.push(Row {
                line,
                cells: record.iter().map(str::to_string).collect(),
            });
        }
        Ok(Table { file, header, rows })
    }

    /// The index of column `name`.
    pub fn col(&self, name: &str) -> Result<usize, ReadError> {
        self.header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| ReadError::MissingColumn {
                file: self.file,
                column: name.to_string(),
            })
    }

    /// A word of a closed set (a role, a vote, an event kind), parsed by `parse`; `what` names the set in errors.
    pub fn word<T>(
        &self,
        row: &Row,
        col: usize,
        what: &'static str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<T, ReadError> {
        let word = &row.cells[col];
        parse(word).ok_or_else(|| ReadError::UnknownWord {
            file: self.file,
            line: row.line,
            column: self.header[col].clone(),
            what,
            word: word.clone(),
        })
    }

    /// A number; an empty cell is undefined (NaN). A written `NaN` or infinity is refused: `ceasefire` writes an
    /// undefined value as an empty cell and never an infinite one.
    pub fn num(&self, row: &Row, col: usize) -> Result<f64, ReadError> {
        match row.cells[col].as_str() {
            "" => Ok(f64::NAN),
            _ => {
                let v: f64 = self.count(row, col)?;
                if v.is_finite() {
                    Ok(v)
                } else {
                    Err(ReadError::NotANumber {
                        file: self.file,
                        line: row.line,
                        column: self.header[col].clone(),
                        word: row.cells[col].clone(),
                    })
                }
            }
        }
    }

    /// A number within `[lo, hi]` (a probability, a share), or an empty cell (NaN).
    pub fn num_in(
        &self,
        row: &Row,
        col: usize,
        lo: f64,
        hi: f64,
        range: &'static str,
    ) -> Result<f64, ReadError> {
        let v = self.num(row, col)?;
        // A hair of rounding beyond a bound (a Wilson bound of 1 + 2e-16) is the bound.
        if v < lo - 1e-9 || v > hi + 1e-9 {
            return Err(ReadError::OutOfRange {
                file: self.file,
                line: row.line,
                column: self.header[col].clone(),
                word: row.cells[col].clone(),
                range,
            });
        }
        Ok(v)
    }

    /// A number that must be there (a round, a count).
    pub fn count<T: std::str::FromStr>(&self, row: &Row, col: usize) -> Result<T, ReadError> {
        let word = &row.cells[col];
        word.parse().map_err(|_| ReadError::NotANumber {
            file: self.file,
            line: row.line,
            column: self.header[col].clone(),
            word: word.clone(),
        })
    }

    /// `true` or `false`.
    pub fn boolean(&self, row: &Row, col: usize) -> Result<bool, ReadError> {
        self.word(row, col, "boolean", |v| match v {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_word_names_the_file_the_line_the_column_and_the_word() {
        let t = Table::parse("actors.csv", "round,vote\n1,accept\n2,maybe\n").unwrap();
        let c = t.col("vote").unwrap();
        assert!(
            t.word(&t.rows[0], c, "vote", crate::trace::Vote::parse)
                .is_ok()
        );
        let e = t
            .word(&t.rows[1], c, "vote", crate::trace::Vote::parse)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "actors.csv line 3: unknown vote `maybe` in column `vote`"
        );
    }

    #[test]
    fn a_control_character_in_a_text_read_back_is_refused_with_its_place() {
        let e = Table::parse("events.csv", "round,cause\n1,ok\n2,a\u{1b}[2Jb\n")
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some(
                "events.csv: line 3, column `cause` holds U+001B (escape), a control character, which ceasefire never writes (was the file edited?)"
            )
        );
        let json: serde_json::Value =
            serde_json::from_str(r#"{"title": "x\u0007", "lesson": "a\nb"}"#).unwrap();
        let e = check_json("summary.json", &json).unwrap_err().to_string();
        assert!(
            e.starts_with("summary.json: `title` holds U+0007 (bell)"),
            "{e}"
        );
        let ok: serde_json::Value = serde_json::from_str(r#"{"lesson": "a\r\nb\tc"}"#).unwrap();
        assert!(check_json("summary.json", &ok).is_ok());
        let drawn: toml::Table =
            toml::from_str("[[actors]]\nid = \"A\"\nname = \"\\u009b31m\"\n").unwrap();
        let e = check_toml("drawn.toml", &drawn).unwrap_err().to_string();
        assert!(
            e.starts_with(
                "drawn.toml: `actors[0].name` holds U+009B (control sequence introducer)"
            ),
            "{e}"
        );
    }

    #[test]
    fn an_empty_number_is_undefined_and_a_bad_one_an_error() {
        let t = Table::parse("rounds.csv", "agreement\n\n0.5\nx\n").unwrap();
        // The csv reader skips the empty line: rows are `0.5` and `x`.
        assert_eq!(t.num(&t.rows[0], 0).unwrap(), 0.5);
        assert!(t.num(&t.rows[1], 0).is_err());
        let t = Table::parse("rounds.csv", "a,b\n,1\n").unwrap();
        assert!(t.num(&t.rows[0], 0).unwrap().is_nan());
        // ceasefire writes an undefined value as an empty cell, never as `NaN`, and never an infinity.
        let t = Table::parse("rounds.csv", "agreement\nNaN\ninf\n-inf\n5e300\n").unwrap();
        for row in &t.rows[..3] {
            let e = t.num(row, 0).unwrap_err().to_string();
            assert!(e.contains("is not a number"), "{e}");
        }
        assert_eq!(t.num(&t.rows[3], 0).unwrap(), 5e300);
    }
}
