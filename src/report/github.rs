//! `--format github`: GitHub Actions workflow commands (annotations on the pull request), one
//! per note, for every command.

use super::note::Note;

/// `%`, CR and LF escaped, as GitHub's toolkit does for a workflow command's message
/// (https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts).
pub(crate) fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value also escapes `:` and `,`.
pub(crate) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions workflow commands, one per note:
/// `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=T::message`
/// (https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions).
/// A note in an AWS managed policy names the policy in its message (it is no file of the
/// repository); one about a whole file points at its first line.
pub fn render(notes: &[Note]) -> String {
    let mut out = String::new();
    for n in notes {
        let mut msg = n.full_text(true);
        let loc = match &n.at {
            Some(at) if at.is_arn() => {
                msg = format!("{msg}\n(statement of `{}`)", at.name);
                String::new()
            }
            Some(at) => {
                let file = escape_property(super::file_of(&at.name));
                match at.span {
                    Some(_) => {
                        let (s, e) = (at.start(), at.end());
                        format!(
                            "file={file},line={},col={},endLine={},endColumn={},",
                            s.line, s.column, e.line, e.column
                        )
                    }
                    None => format!("file={file},line=1,col=1,"),
                }
            }
            None => String::new(),
        };
        out.push_str(&format!(
            "::{} {loc}title={}::{}\n",
            n.level.github(),
            escape_property(&n.title()),
            escape_data(&msg)
        ));
    }
    out
}
