//! Which language the agent speaks: Russian (the bank's guide), English, Kazakh.

use core::fmt;
use core::str::FromStr;

/// A user-interface language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Русский: the language of the bank's guide and of most users' muscle memory.
    Ru,
    /// English: scripts, logs, and anyone whose locale is neither Russian nor Kazakh.
    En,
    /// Қазақша: messages not yet translated fall back to Russian, which every user of the
    /// bank's applet already reads.
    Kk,
}

impl Lang {
    /// The language of the environment: the first non-empty of `LC_ALL`, `LC_MESSAGES`, `LANG`
    /// (POSIX precedence), else English.
    pub fn from_env() -> Lang {
        Self::from_locale_vars(|name| std::env::var(name).ok())
    }

    /// [`Lang::from_env`] over any variable lookup (tests pass a map).
    pub fn from_locale_vars(get: impl Fn(&str) -> Option<String>) -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| get(name))
            .find(|value| !value.is_empty())
            .map_or(Lang::En, |locale| Lang::from_locale(&locale))
    }

    /// `ru_RU.UTF-8` → Russian, `kk_KZ` → Kazakh, anything else (`C`, `en_US`, `de_DE`) → English.
    pub fn from_locale(locale: &str) -> Lang {
        let language = locale
            .split(['_', '.', '@', '-'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match language.as_str() {
            "ru" => Lang::Ru,
            "kk" => Lang::Kk,
            _ => Lang::En,
        }
    }

    /// The two-letter code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::En => "en",
            Lang::Kk => "kk",
        }
    }

    /// Picks the text for this language; Kazakh falls back to Russian where it has none.
    pub fn pick<T>(self, ru: T, en: T, kk: Option<T>) -> T {
        match self {
            Lang::Ru => ru,
            Lang::En => en,
            Lang::Kk => kk.unwrap_or(ru),
        }
    }
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Lang, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ru" => Ok(Lang::Ru),
            "en" => Ok(Lang::En),
            "kk" | "kz" => Ok(Lang::Kk),
            other => Err(format!("unknown language `{other}`: expected ru, en or kk")),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_variables_follow_posix_precedence() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(Lang::from_locale_vars(env(&[])), Lang::En);
        assert_eq!(
            Lang::from_locale_vars(env(&[("LANG", "ru_RU.UTF-8")])),
            Lang::Ru
        );
        assert_eq!(
            Lang::from_locale_vars(env(&[("LANG", "ru_RU.UTF-8"), ("LC_MESSAGES", "kk_KZ")])),
            Lang::Kk
        );
        assert_eq!(
            Lang::from_locale_vars(env(&[("LC_ALL", "C"), ("LANG", "ru_RU")])),
            Lang::En
        );
        // An empty LC_ALL does not count, as in glibc.
        assert_eq!(
            Lang::from_locale_vars(env(&[("LC_ALL", ""), ("LANG", "ru_KZ.UTF-8")])),
            Lang::Ru
        );
    }

    #[test]
    fn kazakh_falls_back_to_russian() {
        assert_eq!(Lang::Kk.pick("ru", "en", None), "ru");
        assert_eq!(Lang::Kk.pick("ru", "en", Some("kk")), "kk");
        assert_eq!("KZ".parse::<Lang>(), Ok(Lang::Kk));
        assert!("de".parse::<Lang>().is_err());
    }
}
