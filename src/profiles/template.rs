//! `${name}` templates of profiles.

/// A text with `${name}` placeholders (names: lower-case letters, digits, `_`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    text: String,
    parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Lit(String),
    Param(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("unterminated placeholder in `{0}`")]
    Unterminated(String),
    #[error("invalid placeholder `${{{name}}}` in `{text}`")]
    InvalidName { text: String, name: String },
    #[error("no value for parameter `{0}`")]
    Missing(String),
}

impl Template {
    pub fn parse(text: &str) -> Result<Self, TemplateError> {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(i) = rest.find("${") {
            if i > 0 {
                parts.push(Part::Lit(rest[..i].to_string()));
            }
            let after = &rest[i + 2..];
            let Some(j) = after.find('}') else {
                return Err(TemplateError::Unterminated(text.to_string()));
            };
            let name = &after[..j];
            if name.is_empty()
                || !name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                return Err(TemplateError::InvalidName {
                    text: text.to_string(),
                    name: name.to_string(),
                });
            }
            parts.push(Part::Param(name.to_string()));
            rest = &after[j + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Lit(rest.to_string()));
        }
        Ok(Template {
            text: text.to_string(),
            parts,
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Param(n) => Some(n.as_str()),
            Part::Lit(_) => None,
        })
    }

    pub fn render(
        &self,
        mut value: impl FnMut(&str) -> Option<String>,
    ) -> Result<String, TemplateError> {
        let mut out = String::with_capacity(self.text.len() + 32);
        for p in &self.parts {
            match p {
                Part::Lit(s) => out.push_str(s),
                Part::Param(n) => match value(n) {
                    Some(v) => out.push_str(&v),
                    None => return Err(TemplateError::Missing(n.clone())),
                },
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_placeholders() {
        let t = Template::parse("arn:${partition}:iam::${account}:role/${name}").unwrap();
        assert_eq!(
            t.placeholders().collect::<Vec<_>>(),
            ["partition", "account", "name"]
        );
        let out = t
            .render(|n| {
                Some(
                    match n {
                        "partition" => "aws",
                        "account" => "111122223333",
                        _ => "ecsCodeDeployRole",
                    }
                    .to_string(),
                )
            })
            .unwrap();
        assert_eq!(out, "arn:aws:iam::111122223333:role/ecsCodeDeployRole");
    }

    #[test]
    fn rejects_bad_placeholders() {
        assert!(matches!(
            Template::parse("a${b"),
            Err(TemplateError::Unterminated(_))
        ));
        assert!(matches!(
            Template::parse("a${B}"),
            Err(TemplateError::InvalidName { .. })
        ));
        let t = Template::parse("${x}").unwrap();
        assert_eq!(t.render(|_| None), Err(TemplateError::Missing("x".into())));
    }

    #[test]
    fn literal_only() {
        let t = Template::parse("*").unwrap();
        assert_eq!(t.render(|_| None).unwrap(), "*");
    }
}
