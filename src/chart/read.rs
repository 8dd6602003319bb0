//! Reading a results folder's tables back, typed: every cell is checked as it is read, so a file that is not what
//! `ceasefire` wrote is an error naming the file, the line and the word, never a silently wrong chart.

/// Why a results folder cannot be read back. Each names the file (and the line, for a table) it is about.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(#[from] std::io::Error),

    #[error("not a folder; expected a results folder such as output/astana-2017/seed-20170504")]
    NotAFolder,

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

    #[error("{file} line {line}: round {round} outside 1..={rounds}")]
    RoundOutOfRange {
        file: &'static str,
        line: u64,
        round: usize,
        rounds: usize,
    },
}

/// One row of a table: its line in the file and its cells.
pub struct Row {
    pub line: u64,
    pub cells: Vec<String>,
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
        let header = reader
            .headers()
            .map_err(csv)?
            .iter()
            .map(str::to_string)
            .collect();
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(csv)?;
            rows.push(Row {
                line: record.position().map_or(0, |p| p.line()),
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

    /// A number; an empty cell is undefined (NaN).
    pub fn num(&self, row: &Row, col: usize) -> Result<f64, ReadError> {
        match row.cells[col].as_str() {
            "" => Ok(f64::NAN),
            _ => self.count(row, col),
        }
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
    fn an_empty_number_is_undefined_and_a_bad_one_an_error() {
        let t = Table::parse("rounds.csv", "agreement\n\n0.5\nx\n").unwrap();
        // The csv reader skips the empty line: rows are `0.5` and `x`.
        assert_eq!(t.num(&t.rows[0], 0).unwrap(), 0.5);
        assert!(t.num(&t.rows[1], 0).is_err());
        let t = Table::parse("rounds.csv", "a,b\n,1\n").unwrap();
        assert!(t.num(&t.rows[0], 0).unwrap().is_nan());
    }
}
