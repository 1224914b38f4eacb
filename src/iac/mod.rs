//! Infrastructure code as input: CloudFormation, SAM and CDK templates ([`cfn`]).
//!
//! A template is read into the same spanned tree the strict JSON reader produces (YAML through
//! [`yaml`]), so the policies inside it are parsed by the ordinary policy parser and every span
//! points at a line and column of the template.

pub mod cfn;
pub mod terraform;
pub mod unread;
pub mod yaml;

use crate::parse::ParseError;
use crate::parse::json::{self, Value};
use crate::source::{Source, Span};

/// A 64-bit FNV-1a hash of `text`, in hex: names a definition or a long value shortly (not a
/// security boundary: two texts alike in their hash are taken as alike only where a collision
/// costs a false alarm or a shorter name).
pub fn fnv_hex(text: &str) -> String {
    let h = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{h:016x}")
}

/// Whether `text` names the IAM name (or ARN) `name` as a whole token, whatever its case:
/// the characters around it are not ones an IAM name holds (`[A-Za-z0-9=.@_-]`,
/// <https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html>; a `,` or a
/// `+`, which a name may hold, is read as a separator: comma-separated lists are how several
/// names are passed, red team 48). `my-role` in `arn:aws:iam::1:role/my-role`, `"my-role"` or
/// `my-role,ci-role`, not in `my-role-2`.
pub fn names_token(text: &str, name: &str) -> bool {
    if name.is_empty() || name.len() > text.len() {
        return false;
    }
    let name_char = |c: u8| c.is_ascii_alphanumeric() || b"=.@_-".contains(&c);
    let (t, n) = (text.as_bytes(), name.as_bytes());
    (0..=t.len() - n.len()).any(|i| {
        t[i..i + n.len()].eq_ignore_ascii_case(n)
            && (i == 0 || !name_char(t[i - 1]))
            && t.get(i + n.len()).is_none_or(|&c| !name_char(c))
    })
}

/// Marks the principals that a call greenlight does not read (a Terraform module from the
/// registry or git, a nested stack, a SAM application: `unread`, its path and content) is
/// given: those whose name or ARN one of `texts` (its argument values) names as a whole token
/// ([`names_token`]), or that `refs` names (the principal's Terraform address as the call's
/// module writes it, or its logical id) in `written` (the arguments as written: a reference
/// `aws_iam_role.x.name`) or in a placeholder of `texts` (`UNKNOWN-aws_iam_role.x`, a value
/// built from the principal that is not known statically: its unique id, the object itself
/// through a local). What such a call does with a principal it is given (attach
/// `AdministratorAccess`, a `Deny`, a boundary) is not known: the principal gets a mark
/// ([`cfn::unread_call_mark`]) that `verify`, `diff` and `check` answer `unknown` for, and a
/// group's members get it too. A value not known among the arguments marks nothing by itself
/// (a registry module given `name = var.x` acts on what it creates, as a rule): only a name
/// the call is given is followed.
pub fn mark_passed_principals(
    x: &mut cfn::Extract,
    unread: &unread::Unread,
    texts: &[String],
    written: &str,
    refs: &dyn Fn(&cfn::Principal) -> Vec<String>,
) {
    let mark = cfn::Attached::Unknown(cfn::unread_call_mark(&unread.path, &unread.content));
    let given: Vec<usize> = (0..x.principals.len())
        .filter(|&i| {
            let p = &x.principals[i];
            let r = refs(p);
            texts.iter().any(|t| {
                names_token(t, &p.name)
                    || (!p.arn.is_empty() && names_token(t, &p.arn))
                    || r.iter().any(|r| placeholder_of(t, r))
            }) || r.iter().any(|r| reference_in(written, r))
        })
        .collect();
    let groups: Vec<(String, String)> = given
        .iter()
        .map(|&i| &x.principals[i])
        .filter(|p| p.kind == cfn::PrincipalKind::Group)
        .map(|p| (p.logical_id.clone(), p.name.clone()))
        .collect();
    for (i, p) in x.principals.iter_mut().enumerate() {
        let member = p.groups.iter().any(|g| {
            groups
                .iter()
                .any(|(id, name)| g == id || g.eq_ignore_ascii_case(name))
        });
        if (given.contains(&i) || member) && !p.identity.contains(&mark) {
            p.identity.push(mark.clone());
        }
    }
}

/// Whether `text` references the Terraform address `address` (`aws_iam_role.this`, an
/// instance key dropped): followed by `.`, `[` or the end, after a character no identifier
/// holds.
pub(crate) fn reference_in(text: &str, address: &str) -> bool {
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'.';
    text.match_indices(address).any(|(i, _)| {
        let t = text.as_bytes();
        (i == 0 || !ident(t[i - 1]))
            && t.get(i + address.len())
                .is_none_or(|&c| c == b'.' || c == b'[' || !ident(c))
    })
}

/// Whether `text` holds a placeholder built from `id` (a Terraform address or a logical id):
/// `UNKNOWN-ID` followed by the end or a character that cannot continue the id (not a
/// letter, digit or `_`: `UNKNOWN-aws_iam_role.app.unique_id`, `UNKNOWN-AppRole-RoleId`).
fn placeholder_of(text: &str, id: &str) -> bool {
    let want = format!("UNKNOWN-{id}");
    text.match_indices(want.as_str()).any(|(i, _)| {
        text.as_bytes()
            .get(i + want.len())
            .is_none_or(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))
    })
}

/// Groups `items` (key, value, variant) by key, in the order first met: each group's first
/// value and the variants it holds in (in order, each once).
pub fn group_variants<K: std::hash::Hash + Eq, T>(
    items: impl IntoIterator<Item = (K, T, usize)>,
) -> Vec<(T, Vec<usize>)> {
    let mut at: std::collections::HashMap<K, usize> = Default::default();
    let mut out: Vec<(T, Vec<usize>)> = Vec::new();
    for (k, v, vi) in items {
        match at.get(&k) {
            Some(&g) => {
                if out[g].1.last() != Some(&vi) {
                    out[g].1.push(vi);
                }
            }
            None => {
                at.insert(k, out.len());
                out.push((v, vec![vi]));
            }
        }
    }
    out
}

/// Whether assumed truth values of undecided conditions can hold together as far as
/// comparisons of one variable with string literals go: a Terraform root variable
/// (`var.env == "prod"`, `var.env != "dev"`, `"prod" == var.env`) or a CloudFormation
/// parameter without value (`IsProd: !Equals [!Ref Env, prod]`, `!Not [!Equals ...]`,
/// [`encode_comparison`]): a variable has one value, so it cannot equal two literals, nor
/// equal and differ from one, nor differ from every one of a parameter's `AllowedValues`.
/// Every other condition is free. The names are [`terraform`]'s condition names or
/// CloudFormation's condition keys (a `\u{1}` and a definition id may follow). Conservative:
/// `true` unless the comparisons alone rule the assignment out, whatever the variable's type.
pub fn comparisons_consistent<'a>(assumed: impl IntoIterator<Item = (&'a str, bool)>) -> bool {
    struct Seen<'a> {
        eq: Option<std::borrow::Cow<'a, str>>,
        ne: Vec<std::borrow::Cow<'a, str>>,
        allowed: Option<Vec<String>>,
        mixed: bool,
    }
    // variable -> (the literal it equals, the literals it differs from, its allowed values)
    let mut by_var: std::collections::HashMap<std::borrow::Cow<'a, str>, Seen<'a>> =
        Default::default();
    for (name, value) in assumed {
        let Some(c) = comparison_of(name) else {
            continue;
        };
        let fresh = !by_var.contains_key(&c.var);
        let seen = by_var.entry(c.var).or_insert_with(|| Seen {
            eq: None,
            ne: Vec::new(),
            allowed: None,
            mixed: false,
        });
        // keys from two templates (`diff`'s old and new sides) may list different
        // `AllowedValues`: then no list bounds the variable (red team 40: the old list ruled
        // out a value the new template allows)
        if fresh {
            seen.allowed = c.allowed;
        } else if seen.allowed != c.allowed {
            seen.mixed = true;
        }
        if c.equal == value {
            if seen.eq.as_ref().is_some_and(|e| *e != c.lit) {
                return false;
            }
            seen.eq = Some(c.lit);
        } else {
            seen.ne.push(c.lit);
        }
        if seen.eq.as_ref().is_some_and(|e| seen.ne.contains(e)) {
            return false;
        }
    }
    by_var.values().all(|s| match (&s.allowed, &s.eq) {
        _ if s.mixed => true,
        (None, _) => true,
        (Some(allowed), Some(eq)) => allowed.iter().any(|a| a == eq),
        (Some(allowed), None) => allowed.iter().any(|a| !s.ne.iter().any(|n| n == a)),
    })
}

/// The variable a condition name or key compares with a string literal
/// ([`comparisons_consistent`]), if it is one.
pub fn compared_variable(name: &str) -> Option<std::borrow::Cow<'_, str>> {
    comparison_of(name).map(|c| c.var)
}

/// A comparison of one variable with a string literal, read from a condition name or key.
struct Compared<'a> {
    var: std::borrow::Cow<'a, str>,
    lit: std::borrow::Cow<'a, str>,
    equal: bool,
    allowed: Option<Vec<String>>,
}

/// The marker of an encoded comparison in a condition key ([`encode_comparison`]).
const COMPARISON: char = '\u{2}';

/// Whether two IAM names, either of which may hold placeholders (`keys`: those the reader
/// made), may be one name: a placeholder stands for any text, and IAM names compare whatever
/// their case
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names>).
/// `app-${AWS::StackName}` may be `app-prod`, not `ops-role` (red team 42: a literal name
/// attached to a role outside the template is not one whose name only ends alike).
pub fn may_be_same_name(a: &str, b: &str, keys: &[&str]) -> bool {
    let pattern = |t: &str| -> Option<String> {
        let mut p = t.to_ascii_lowercase();
        let mut found: Vec<String> = keys
            .iter()
            .map(|k| k.to_ascii_lowercase())
            .filter(|k| !k.is_empty() && p.contains(k.as_str()))
            .collect();
        if found.is_empty() && !p.contains("unknown-") {
            return None;
        }
        // (the longest first: a placeholder inside another is not replaced first)
        found.sort_by_key(|k| std::cmp::Reverse(k.len()));
        for k in found {
            p = p.replace(&k, "\u{0}");
        }
        // a placeholder no key names stands for the whole name
        if p.contains("unknown-") {
            return Some("*".into());
        }
        // (IAM names hold no `*` or `?`: the pattern's only wildcards are the placeholders')
        Some(p.replace('\u{0}', "*"))
    };
    match (pattern(a), pattern(b)) {
        (None, None) => a.eq_ignore_ascii_case(b),
        (Some(p), None) => crate::lint::util::glob_match(&p, &b.to_ascii_lowercase()),
        (None, Some(p)) => crate::lint::util::glob_match(&p, &a.to_ascii_lowercase()),
        // both hold placeholders: the text before the first and after the last must agree
        // (`${Env}-task` is never `${Env}-ops`; red team 44)
        (Some(p), Some(q)) => {
            let ends = |x: &str| -> (String, String) {
                let first = x.find('*').unwrap_or(x.len());
                let last = x.rfind('*').map_or(x.len(), |i| i + 1);
                (x[..first].to_string(), x[last..].to_string())
            };
            let ((pp, ps), (qp, qs)) = (ends(&p), ends(&q));
            (pp.starts_with(&qp) || qp.starts_with(&pp)) && (ps.ends_with(&qs) || qs.ends_with(&ps))
        }
    }
}

/// The part of a CloudFormation condition key that says the condition is `var == lit` (or
/// `!=` when `equal` is false), `var` being a placeholder of a parameter without value and
/// `allowed` the parameter's `AllowedValues`: `\u{1}\u{2}VAR\u{2}HEX\u{2}EQ\u{2}HEX...`, the
/// texts hex-encoded so no reader of names changes them.
pub fn encode_comparison(var: &str, lit: &str, equal: bool, allowed: Option<&[String]>) -> String {
    let hex = |s: &str| s.bytes().map(|b| format!("{b:02x}")).collect::<String>();
    let mut out = format!(
        "\u{1}{COMPARISON}{}{COMPARISON}{}{COMPARISON}{}",
        hex(var),
        hex(lit),
        u8::from(equal)
    );
    if let Some(a) = allowed {
        // a set: the order and repeats of the template's list say nothing (red team 41)
        let mut a: Vec<&String> = a.iter().collect();
        a.sort();
        a.dedup();
        out.push(COMPARISON);
        out.push_str(&a.iter().map(|x| hex(x)).collect::<Vec<_>>().join("-"));
    }
    out
}

fn comparison_of(name: &str) -> Option<Compared<'_>> {
    if let Some((var, lit, equal)) = root_comparison(name.split('\u{1}').next().unwrap_or(name)) {
        return Some(Compared {
            var: var.into(),
            lit: lit.into(),
            equal,
            allowed: None,
        });
    }
    let part = name
        .split('\u{1}')
        .find_map(|p| p.strip_prefix(COMPARISON))?;
    let unhex = |s: &str| -> Option<String> {
        if s.len() % 2 != 0 {
            return None;
        }
        let bytes = (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
            .collect::<Option<Vec<u8>>>()?;
        String::from_utf8(bytes).ok()
    };
    let mut f = part.split(COMPARISON);
    let var = unhex(f.next()?)?;
    let lit = unhex(f.next()?)?;
    let equal = match f.next()? {
        "1" => true,
        "0" => false,
        _ => return None,
    };
    let allowed = match f.next() {
        // (no allowed value would rule every assignment out: read as no list)
        None | Some("") => None,
        Some(a) => Some(a.split('-').map(unhex).collect::<Option<Vec<_>>>()?),
    };
    Some(Compared {
        var: var.into(),
        lit: lit.into(),
        equal,
        allowed,
    })
}

/// A condition name `` `var.NAME == "LIT"` `` (or `!=`, or the literal first) of the root
/// module, with no instance or binding part: (`var.NAME`, `LIT`, whether `==`). Literals with
/// escapes, templates, white space (names collapse runs of it) or other than ASCII characters
/// (Terraform compares strings in Unicode normal form C: `"café"` precomposed and decomposed
/// are one value, red team 35) are left out.
fn root_comparison(name: &str) -> Option<(&str, &str, bool)> {
    let text = name.strip_prefix('`')?.strip_suffix('`')?;
    let (op, equal) = if text.contains(" == ") {
        (" == ", true)
    } else if text.contains(" != ") {
        (" != ", false)
    } else {
        return None;
    };
    let (l, r) = text.split_once(op)?;
    // a string literal, or `null` (unquoted): `var.x == null` and `var.x != null` are one
    // test, never both true nor both false (red team 60: a data source counted on
    // `var.policy == null` read through `var.policy != null ? ... : d[0]` had no instance in
    // the combination no value gives); the string `"null"` is left out, not to be taken for it
    fn lit(x: &str) -> Option<&str> {
        if x == "null" {
            return Some(x);
        }
        x.strip_prefix('"')?.strip_suffix('"').filter(|l| {
            l.is_ascii()
                && *l != "null"
                && !l.contains(['"', '\\', '$', '%', '`'])
                && !l.contains(char::is_whitespace)
        })
    }
    let is_var = |x: &str| {
        x.strip_prefix("var.").is_some_and(|n| {
            n.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
    };
    if is_var(l) {
        Some((l, lit(r)?, equal))
    } else if is_var(r) {
        Some((r, lit(l)?, equal))
    } else {
        None
    }
}

/// Whether a file name looks like YAML.
pub fn is_yaml_name(name: &str) -> bool {
    [".yaml", ".yml", ".template"]
        .iter()
        .any(|e| crate::discover::ends_with_ignore_case(name, e))
}

/// The spanned tree of a JSON or YAML text. JSON (text starting with `{` or `[`) is read by the
/// strict JSON reader; anything else as YAML.
pub fn read_tree(source: &Source) -> Result<Value, ParseError> {
    let trimmed = source.text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return json::parse(&source.text)
            .map_err(|e| ParseError::new(source, "json-syntax", e.span, e.kind.to_string()));
    }
    yaml::parse(source).map_err(|e| {
        ParseError::new(source, "undecodable-document", e.span, e.message)
            .with_help("CloudFormation templates are YAML 1.1/1.2 or JSON")
    })
}

/// Decodes a template file: UTF-8, or UTF-16 with a byte-order mark; a UTF-8 BOM is dropped.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<Source, ParseError> {
    let utf16 = |bytes: &[u8], le: bool| -> Option<String> {
        let units: Vec<u16> = bytes
            .chunks(2)
            .map(|c| {
                let pair = [c[0], *c.get(1).unwrap_or(&0)];
                if le {
                    u16::from_le_bytes(pair)
                } else {
                    u16::from_be_bytes(pair)
                }
            })
            .collect();
        String::from_utf16(&units).ok()
    };
    let text = if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        utf16(rest, true)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        utf16(rest, false)
    } else if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8(rest.to_vec()).ok()
    } else {
        String::from_utf8(bytes).ok()
    };
    match text {
        Some(t) => Ok(Source::new(name, t)),
        None => Err(ParseError::new(
            &Source::new(name, ""),
            "invalid-encoding",
            Span::default(),
            "the file is neither UTF-8 nor UTF-16 with a byte-order mark",
        )),
    }
}

/// Whether a path names Terraform configuration: a `.tf` or `.tf.json` file, or a folder
/// holding one.
pub fn is_terraform_config(path: &std::path::Path) -> bool {
    let config = |p: &std::path::Path| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(terraform::hcl::is_config_name)
    };
    if path.is_dir() {
        return std::fs::read_dir(path)
            .is_ok_and(|entries| entries.filter_map(Result::ok).any(|e| config(&e.path())));
    }
    config(path)
}

/// Reads a file as a template, or says why it is not one. A `.tf` file (or a folder of them)
/// is read as the Terraform module of its folder.
pub fn load_file(path: &str, inputs: &cfn::Inputs) -> Result<cfn::Template, ParseError> {
    if is_terraform_config(std::path::Path::new(path)) {
        return terraform::hcl::load(std::path::Path::new(path), inputs).map(|m| m.template);
    }
    let bytes = std::fs::read(path).map_err(|e| {
        ParseError::new(
            &Source::new(path, ""),
            "unreadable-input",
            Span::default(),
            format!("cannot read `{path}`: {e}"),
        )
    })?;
    load_bytes(path, bytes, inputs)
}

/// Like [`load_file`], from the file's bytes (such as a file's content at a git revision).
pub fn load_bytes(
    path: &str,
    bytes: Vec<u8>,
    inputs: &cfn::Inputs,
) -> Result<cfn::Template, ParseError> {
    let source = decode(path, bytes)?;
    // `terraform show -json` writes `format_version` and `terraform_version` first: a plan
    // (possibly of many MB) is read once, by the plan reader, not also into the spanned tree
    let head = source.text.get(..source.text.len().min(512)).unwrap_or("");
    if head.trim_start().starts_with('{') && head.contains("\"terraform_version\"") {
        return terraform::load(&source);
    }
    let tree = read_tree(&source)?;
    if terraform::is_plan(&tree) {
        return terraform::load(&source);
    }
    if !cfn::is_template(&tree) {
        return Err(ParseError::new(
            &source,
            "not-a-policy",
            Span::new(0, 0),
            "the file is neither a CloudFormation template (no `Resources` with typed resources) nor a Terraform plan",
        ));
    }
    cfn::load_tree(&source, &tree, inputs)
}

/// The templates of a CDK cloud assembly (`cdk.out`), found through its `manifest.json`:
/// every `aws:cloudformation:stack` artifact's `templateFile`, the nested stacks' templates
/// (`*.nested.template.json`), and those of nested assemblies (`cdk:cloud-assembly`, for CDK
/// stages). `None` when `dir` is not a cloud assembly.
pub fn cdk_templates(dir: &std::path::Path) -> Option<Vec<std::path::PathBuf>> {
    fn go(dir: &std::path::Path, depth: usize, out: &mut Vec<std::path::PathBuf>) -> Option<()> {
        let text = std::fs::read_to_string(dir.join("manifest.json")).ok()?;
        let v: serde_json::Value = serde_json::from_str(&text).ok()?;
        let artifacts = v.get("artifacts")?.as_object()?;
        for a in artifacts.values() {
            let props = a.get("properties");
            match a.get("type").and_then(|t| t.as_str()) {
                Some("aws:cloudformation:stack") => {
                    if let Some(f) = props
                        .and_then(|p| p.get("templateFile"))
                        .and_then(|f| f.as_str())
                    {
                        out.push(dir.join(f));
                    }
                }
                Some("cdk:cloud-assembly") if depth < 8 => {
                    if let Some(d) = props
                        .and_then(|p| p.get("directoryName"))
                        .and_then(|f| f.as_str())
                    {
                        go(&dir.join(d), depth + 1, out);
                    }
                }
                _ => {}
            }
        }
        // the templates of `NestedStack`s, which CDK writes as file assets
        // (`*.nested.template.json`) that no stack artifact lists: read as stacks of their
        // own, so that what they grant is seen
        // (<https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.NestedStack.html>)
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                let name = e.file_name();
                if name
                    .to_str()
                    .is_some_and(|n| n.ends_with(".nested.template.json"))
                {
                    out.push(e.path());
                }
            }
        }
        Some(())
    }
    let mut out = Vec::new();
    go(dir, 0, &mut out)?;
    out.sort();
    out.dedup();
    Some(out)
}

/// A `Resource`/`NotResource` item that is a placeholder as a whole (CloudFormation's
/// `!ImportValue`, a parameter without a value; Terraform's attribute of a resource type the
/// reader does not know) becomes a typed placeholder: an ARN of the statement's service
/// (the service of its first literal action) whose resource part is the placeholder, so the
/// document still parses and evaluates, and the placeholder still matches only itself.
pub(crate) fn arn_placeholders(
    v: &crate::parse::json::Value,
    partition: &str,
    region: &str,
    account: &str,
) -> crate::parse::json::Value {
    let mut v = v.clone();
    let crate::parse::json::Kind::Object(members) = &mut v.kind else {
        return v;
    };
    for m in members.iter_mut().filter(|m| m.key == "Statement") {
        let stmts: Vec<&mut crate::parse::json::Value> = match &mut m.value.kind {
            crate::parse::json::Kind::Array(a) => a.iter_mut().collect(),
            crate::parse::json::Kind::Object(_) => vec![&mut m.value],
            _ => Vec::new(),
        };
        for st in stmts {
            let crate::parse::json::Kind::Object(fields) = &mut st.kind else {
                continue;
            };
            let service = fields
                .iter()
                .filter(|f| f.key == "Action")
                .flat_map(|f| match &f.value.kind {
                    crate::parse::json::Kind::String(a) => vec![a.clone()],
                    crate::parse::json::Kind::Array(xs) => xs
                        .iter()
                        .filter_map(|x| match &x.kind {
                            crate::parse::json::Kind::String(a) => Some(a.clone()),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                })
                .find_map(|a| {
                    let (svc, _) = a.split_once(':')?;
                    (!svc.is_empty() && !svc.contains(['*', '?'])).then(|| svc.to_ascii_lowercase())
                })
                .unwrap_or_else(|| "s3".to_string());
            let typed = |text: &str| -> String {
                // S3 ARNs carry no Region or account; IAM ARNs no Region
                let (r, a) = match service.as_str() {
                    "s3" => ("", ""),
                    "iam" | "sts" | "organizations" | "cloudfront" | "route53" => ("", account),
                    _ => (region, account),
                };
                format!("arn:{partition}:{service}:{r}:{a}:{text}")
            };
            for f in fields
                .iter_mut()
                .filter(|f| f.key == "Resource" || f.key == "NotResource")
            {
                let items: Vec<&mut crate::parse::json::Value> = match &mut f.value.kind {
                    crate::parse::json::Kind::Array(a) => a.iter_mut().collect(),
                    crate::parse::json::Kind::String(_) => vec![&mut f.value],
                    _ => Vec::new(),
                };
                for it in items {
                    if let crate::parse::json::Kind::String(t) = &mut it.kind
                        && t.starts_with("UNKNOWN-")
                    {
                        *t = typed(t);
                    }
                }
            }
        }
    }
    v
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_with_placeholders_may_be_names_alike_only() {
        let keys = ["UNKNOWN-AWS-StackName", "UNKNOWN-Parameter-Target"];
        // a placeholder stands for any text, the rest must match, whatever the case
        assert!(super::may_be_same_name(
            "UNKNOWN-AWS-StackName-app",
            "prod-app",
            &keys
        ));
        assert!(super::may_be_same_name(
            "PROD-APP",
            "UNKNOWN-AWS-StackName-app",
            &keys
        ));
        assert!(!super::may_be_same_name(
            "ops-role",
            "UNKNOWN-AWS-StackName-app",
            &keys
        ));
        assert!(super::may_be_same_name(
            "UNKNOWN-Parameter-Target",
            "anything",
            &keys
        ));
        // both not known: they may be one name, unless the text around them differs
        assert!(super::may_be_same_name(
            "UNKNOWN-Parameter-Target",
            "UNKNOWN-AWS-StackName-x",
            &keys
        ));
        assert!(!super::may_be_same_name(
            "UNKNOWN-AWS-StackName-task",
            "UNKNOWN-AWS-StackName-ops",
            &keys
        ));
        assert!(super::may_be_same_name(
            "app-UNKNOWN-AWS-StackName",
            "UNKNOWN-Parameter-Target-UNKNOWN-AWS-StackName",
            &keys
        ));
        // a placeholder no key names stands for the whole name
        assert!(super::may_be_same_name("UNKNOWN-other", "x", &keys));
        // no placeholder: the names themselves
        assert!(super::may_be_same_name("App", "app", &keys));
        assert!(!super::may_be_same_name("app", "ops", &keys));
    }

    use super::{compared_variable, comparisons_consistent, encode_comparison};

    /// CloudFormation keys carry what they compare ([`encode_comparison`]), whatever the
    /// literal holds (empty, `:`, spaces), with the parameter's `AllowedValues`.
    #[test]
    fn encoded_comparisons_and_allowed_values() {
        let key = |name: &str, lit: &str, equal: bool, allowed: Option<&[String]>| {
            format!(
                "{name}\u{1}abc{}",
                encode_comparison("P", lit, equal, allowed)
            )
        };
        let ok = |xs: &[(String, bool)]| {
            comparisons_consistent(xs.iter().map(|(k, v)| (k.as_str(), *v)))
        };
        assert_eq!(
            compared_variable(&key("A", "", true, None)).as_deref(),
            Some("P")
        );
        assert!(!ok(&[
            (key("A", "", true, None), true),
            (key("B", "a:1:2 b", true, None), true)
        ]));
        assert!(ok(&[
            (key("A", "", true, None), true),
            (key("B", "a:1:2 b", true, None), false)
        ]));
        // `HasKey: !Not [!Equals [!Ref P, ""]]` is `IsEmpty`'s negation
        assert!(!ok(&[
            (key("IsEmpty", "", true, None), true),
            (key("HasKey", "", false, None), true)
        ]));
        assert!(!ok(&[
            (key("IsEmpty", "", true, None), false),
            (key("HasKey", "", false, None), false)
        ]));
        let allowed = ["prod".to_string(), "dev".to_string()];
        let a = Some(&allowed[..]);
        assert!(!ok(&[
            (key("IsProd", "prod", true, a), false),
            (key("IsDev", "dev", true, a), false)
        ]));
        assert!(ok(&[
            (key("IsProd", "prod", true, a), false),
            (key("IsDev", "dev", true, a), true)
        ]));
        assert!(!ok(&[(key("IsQa", "qa", true, a), true)]));
        assert!(ok(&[(key("IsQa", "qa", true, a), false)]));
        // a list is a set: order and repeats do not make another list (red team 41)
        let reordered = ["dev".to_string(), "prod".to_string(), "dev".to_string()];
        assert!(!ok(&[
            (key("IsProd", "prod", true, a), false),
            (key("IsDev", "dev", true, Some(&reordered[..])), false)
        ]));
        // two lists for one parameter (the two sides of a `diff`): neither bounds it
        let wider = ["prod".to_string(), "dev".to_string(), "qa".to_string()];
        assert!(ok(&[
            (key("IsProd", "prod", true, a), false),
            (key("IsQa", "qa", true, Some(&wider[..])), true)
        ]));
        // a malformed part is free
        assert!(ok(&[
            ("A\u{1}\u{2}zz\u{2}00\u{2}1".to_string(), true),
            (key("B", "x", true, None), true)
        ]));
    }

    #[test]
    fn one_variable_has_one_value() {
        let eq = |l: &str| format!("`var.env == \"{l}\"`");
        let ne = |l: &str| format!("`var.env != \"{l}\"`");
        let ok = |xs: &[(String, bool)]| {
            comparisons_consistent(xs.iter().map(|(k, v)| (k.as_str(), *v)))
        };
        assert!(!ok(&[(eq("prod"), true), (eq("dev"), true)]));
        assert!(!ok(&[(eq("prod"), true), (ne("prod"), true)]));
        assert!(!ok(&[(ne("dev"), false), (eq("prod"), true)]));
        assert!(ok(&[(ne("dev"), true), (eq("prod"), true)]));
        assert!(ok(&[(eq("prod"), false), (eq("dev"), false)]));
        // the literal first; a definition id after the name
        assert!(!ok(&[
            ("`\"prod\" == var.env`\u{1}abc".to_string(), true),
            (eq("dev"), true)
        ]));
        // two variables, a child module's variable, literals with spaces or templates,
        // numbers: free
        assert!(ok(&[
            (eq("prod"), true),
            ("`var.other == \"dev\"`".into(), true)
        ]));
        assert!(ok(&[
            (eq("prod"), true),
            ("`var.env == \"dev\"` in module.m".into(), true)
        ]));
        assert!(ok(&[(eq("a b"), true), (eq("a  b"), true)]));
        // one value in Unicode normal form C, two spellings (red team 35)
        assert!(ok(&[(eq("caf\u{e9}"), true), (eq("cafe\u{301}"), true)]));
        assert!(ok(&[(eq("${x}"), true), (eq("y"), true)]));
        assert!(ok(&[
            ("`var.n == 1`".into(), true),
            ("`var.n == 1.0`".into(), true)
        ]));
    }
}
