//! Why a profile cannot be used, pointing at the place to fix.

use core::fmt;
use std::path::PathBuf;

use serde_json::{json, Value};

use crate::Lang;

/// A profile that cannot be found, read, parsed or accepted.
#[derive(Debug)]
pub enum ProfileError {
    /// A profile named by `--profile` or `$TAMGA_PROFILE` does not exist.
    NotFound(PathBuf),
    /// The file exists but cannot be read.
    Read {
        /// The file.
        path: PathBuf,
        /// The OS's reason.
        error: std::io::Error,
    },
    /// Not valid RON for the schema: the position and what was expected.
    Syntax {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        col: usize,
        /// The parser's words (English: they name the schema's fields and variants).
        message: String,
        /// The offending line and a caret under the column.
        excerpt: String,
    },
    /// Parses, but a value is out of range.
    Invalid {
        /// The file.
        file: String,
        /// The field, dotted (`workflows.pin.user_password.min_length`).
        field: String,
        /// What is wrong.
        message: String,
    },
}

impl ProfileError {
    pub(crate) fn syntax(file: &str, text: &str, e: &ron::error::SpannedError) -> ProfileError {
        let (line, col) = (e.span.start.line, e.span.start.col);
        let source_line = text.lines().nth(line.saturating_sub(1)).unwrap_or_default();
        let caret_at = source_line
            .chars()
            .take(col.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect::<String>();
        ProfileError::Syntax {
            file: file.to_owned(),
            line,
            col,
            message: e.code.to_string(),
            excerpt: format!("    {source_line}\n    {caret_at}^"),
        }
    }

    /// A stable code.
    pub fn code(&self) -> &'static str {
        match self {
            ProfileError::NotFound(_) => "profile.not_found",
            ProfileError::Read { .. } => "profile.read",
            ProfileError::Syntax { .. } => "profile.syntax",
            ProfileError::Invalid { .. } => "profile.invalid",
        }
    }

    /// Structured details for `--json`.
    pub fn details(&self) -> Value {
        match self {
            ProfileError::NotFound(path) | ProfileError::Read { path, .. } => {
                json!({ "file": path.display().to_string() })
            }
            ProfileError::Syntax {
                file,
                line,
                col,
                message,
                ..
            } => json!({ "file": file, "line": line, "column": col, "expected": message }),
            ProfileError::Invalid { file, field, .. } => json!({ "file": file, "field": field }),
        }
    }

    /// The message for the user.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ProfileError::NotFound(path) => lang.pick(
                format!("Профиль {} не найден.", path.display()),
                format!("profile {} not found", path.display()),
                None,
            ),
            ProfileError::Read { path, error } => lang.pick(
                format!("Не удалось прочитать профиль {}: {error}", path.display()),
                format!("cannot read profile {}: {error}", path.display()),
                None,
            ),
            ProfileError::Syntax {
                file,
                line,
                col,
                message,
                excerpt,
            } => lang.pick(
                format!("{file}:{line}:{col}: ошибка в профиле: {message}\n{excerpt}"),
                format!("{file}:{line}:{col}: profile error: {message}\n{excerpt}"),
                None,
            ),
            ProfileError::Invalid {
                file,
                field,
                message,
            } => lang.pick(
                format!("{file}: недопустимое значение {field}: {message}"),
                format!("{file}: invalid {field}: {message}"),
                None,
            ),
        }
    }
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for ProfileError {}
