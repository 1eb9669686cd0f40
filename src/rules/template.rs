//! Label templates: `enterprise`, `account:{account}`, `{tier}`, `org:{organization}`.

use super::suggest::closest;

/// GitHub's limit on the length of a label name.
pub const MAX_LABEL_CHARS: usize = 50;

/// A value a label template can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholder {
    /// The target account's id.
    Account,
    Tier,
    /// The organization found (for a target account: its name).
    Organization,
}

impl Placeholder {
    const ALL: [Placeholder; 3] = [
        Placeholder::Account,
        Placeholder::Tier,
        Placeholder::Organization,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Placeholder::Account => "account",
            Placeholder::Tier => "tier",
            Placeholder::Organization => "organization",
        }
    }

    /// Whether the value tells who the person works for.
    pub fn names_employer(self) -> bool {
        matches!(self, Placeholder::Account | Placeholder::Organization)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Value(Placeholder),
}

/// A parsed label template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    text: String,
    parts: Vec<Part>,
}

impl Template {
    /// Parses `text`; the error says what is wrong and how to fix it.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find(['{', '}']) {
            if rest[open..].starts_with('}') {
                return Err(format!(
                    "`{text}` has a `}}` without its `{{`: placeholders are written {{account}}, {{tier}} or {{organization}}"
                ));
            }
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_string()));
            }
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                return Err(format!(
                    "`{text}` has a `{{` without its `}}`: placeholders are written {{account}}, {{tier}} or {{organization}}"
                ));
            };
            let name = &after[..close];
            let Some(p) = Placeholder::ALL.into_iter().find(|p| p.name() == name) else {
                let hint = closest(name, Placeholder::ALL.map(Placeholder::name))
                    .map(|c| format!(" (did you mean {{{c}}}?)"))
                    .unwrap_or_default();
                return Err(format!(
                    "`{text}` uses {{{name}}}, which is no placeholder{hint}: use {{account}}, {{tier}} or {{organization}}"
                ));
            };
            parts.push(Part::Value(p));
            rest = &after[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        Ok(Self {
            text: text.to_string(),
            parts,
        })
    }

    /// The template as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The characters written around the placeholders.
    pub fn literal_chars(&self) -> usize {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.chars().count(),
                Part::Value(_) => 0,
            })
            .sum()
    }

    /// The placeholders used, in order.
    pub fn placeholders(&self) -> impl Iterator<Item = Placeholder> + '_ {
        self.parts.iter().filter_map(|p| match p {
            Part::Value(v) => Some(*v),
            Part::Text(_) => None,
        })
    }

    /// Whether the rendered label tells who the person works for.
    pub fn names_employer(&self) -> bool {
        self.placeholders().any(Placeholder::names_employer)
    }

    /// The label name: placeholders filled in, trimmed, at most 50 characters.
    /// The error is the first placeholder without a value.
    pub fn render<'a>(
        &self,
        value: impl Fn(Placeholder) -> Option<&'a str>,
    ) -> Result<String, Placeholder> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Value(p) => match value(*p).map(str::trim).filter(|v| !v.is_empty()) {
                    Some(v) => out.push_str(v),
                    None => return Err(*p),
                },
            }
        }
        let cut: String = out.trim().chars().take(MAX_LABEL_CHARS).collect();
        Ok(cut.trim_end().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(p: Placeholder) -> Option<&'static str> {
        match p {
            Placeholder::Account => Some("acme"),
            Placeholder::Tier => None,
            Placeholder::Organization => Some("Acme Corporation"),
        }
    }

    #[test]
    fn renders_placeholders() {
        let t = Template::parse("account:{account}").unwrap();
        assert_eq!(t.render(values).unwrap(), "account:acme");
        assert!(t.names_employer());
        let t = Template::parse(" org:{organization} ").unwrap();
        assert_eq!(t.render(values).unwrap(), "org:Acme Corporation");
        assert_eq!(t.literal_chars(), 6);
        let t = Template::parse("enterprise").unwrap();
        assert_eq!(t.render(values).unwrap(), "enterprise");
        assert!(!t.names_employer());
    }

    #[test]
    fn a_missing_value_is_named() {
        let t = Template::parse("tier:{tier}").unwrap();
        assert_eq!(t.render(values), Err(Placeholder::Tier));
    }

    #[test]
    fn long_names_are_cut_to_fifty_characters() {
        let t = Template::parse("{organization}").unwrap();
        let long = "x".repeat(80);
        let name = t.render(|_| Some(long.as_str())).unwrap();
        assert_eq!(name.chars().count(), 50);
    }

    #[test]
    fn refuses_unknown_placeholders_with_a_suggestion() {
        let err = Template::parse("account:{acount}").unwrap_err();
        assert_eq!(
            err,
            "`account:{acount}` uses {acount}, which is no placeholder (did you mean {account}?): use {account}, {tier} or {organization}"
        );
        assert!(
            Template::parse("x{tier")
                .unwrap_err()
                .contains("without its `}`")
        );
        assert!(
            Template::parse("x}")
                .unwrap_err()
                .contains("without its `{`")
        );
    }
}
