//! `for` expressions, splats and the pure collection and string functions that shape policy
//! documents in real modules (`coalesce`, `compact`, `flatten`, `merge`, `lookup`, `element`,
//! `replace`, `format`, `try`, ...), evaluated on known values only: a value that holds a
//! placeholder gives a placeholder, never a guess
//! (<https://developer.hashicorp.com/terraform/language/functions>,
//! <https://developer.hashicorp.com/terraform/language/expressions/for>).

use hcl_edit::expr::{Expression, ForExpr, TraversalOperator};

use super::eval::{Eval, has_unknown, same, string};
use crate::iac::cfn::resolve::placeholder;
use crate::parse::ParseError;
use crate::parse::json::{Kind, Member, Value};
use crate::source::Span;

/// Most elements a `for` expression or a function builds (a bound on hostile input).
const MAX_ELEMENTS: usize = 100_000;

fn number(n: usize, span: Span) -> Value {
    Value {
        kind: Kind::Number(n.to_string()),
        span,
    }
}

fn list(a: Vec<Value>, span: Span) -> Value {
    Value {
        kind: Kind::Array(a),
        span,
    }
}

/// A list as a set: each value once, and strings (or numbers) in their order when all
/// elements are known strings (or numbers), as Terraform orders a set's elements; anything
/// else keeps its order. More than 10,000 elements are left as they are.
pub(super) fn as_set(v: Value) -> Value {
    let Kind::Array(a) = v.kind else { return v };
    if a.len() > 10_000 {
        return Value {
            kind: Kind::Array(a),
            span: v.span,
        };
    }
    let mut out: Vec<Value> = Vec::with_capacity(a.len());
    for x in a {
        if !out.iter().any(|y| same(y, &x)) {
            out.push(x);
        }
    }
    if out.iter().all(|x| known_str(x).is_some()) {
        out.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    } else if out.iter().all(|x| matches!(x.kind, Kind::Number(_))) {
        out.sort_by(|a, b| {
            let n = |v: &Value| as_number(v).unwrap_or(0.0);
            n(a).total_cmp(&n(b))
        });
    }
    Value {
        kind: Kind::Array(out),
        span: v.span,
    }
}

/// The number of nodes of `v`, counted up to `cap`.
pub(super) fn weight(v: &Value, cap: usize) -> usize {
    fn go(v: &Value, n: &mut usize, cap: usize) {
        *n += 1;
        if *n >= cap {
            return;
        }
        match &v.kind {
            Kind::Array(a) => a.iter().for_each(|x| go(x, n, cap)),
            Kind::Object(m) => m.iter().for_each(|x| go(&x.value, n, cap)),
            _ => {}
        }
    }
    let mut n = 0;
    go(v, &mut n, cap);
    n
}

/// A known string (no placeholder in it).
fn known_str(v: &Value) -> Option<&str> {
    match &v.kind {
        Kind::String(s) if !s.contains("UNKNOWN-") => Some(s),
        _ => None,
    }
}

/// `replace(JSON, sub, rep)` of a value that Terraform encodes as JSON text (`jsonencode`, a
/// policy document's `json`), as that value with `sub` replaced in each string, keys
/// included, and the length of the strings after it. The same as replacing in the encoded
/// text when `sub` can only match inside strings and `rep` needs no escaping there: `None`
/// when `sub` is a regular expression (`/.../`), is empty, holds JSON syntax, whitespace or a
/// character JSON encoding escapes (`"`, `\`, controls; `<`, `>`, `&`, U+2028 and U+2029,
/// which `jsonencode` writes as `\u` escapes), or occurs in a number, `true`, `false` or
/// `null`; when a string of the value holds a character the encoding escapes (the substring
/// could match the letters of its escape, `\u0026`); when `rep` holds `"`, `\` or a control
/// character; or when two keys become one.
fn replace_in_json(v: &Value, sub: &str, rep: &str) -> Option<(Value, usize)> {
    let regex = sub.len() >= 2 && sub.starts_with('/') && sub.ends_with('/');
    // (JSON syntax, whitespace, or what the encoding escapes)
    let syntax = |c: char| {
        json_escaped(c) || matches!(c, '{' | '}' | '[' | ']' | ',' | ':') || c.is_whitespace()
    };
    if regex
        || sub.is_empty()
        || sub.chars().any(syntax)
        || rep
            .chars()
            .any(|c| matches!(c, '"' | '\\') || c.is_control())
    {
        return None;
    }
    // (a string holding a character the encoding escapes, `\u0026` for `&`, `\n`, `\"`: the
    // substring may match the letters of the escape in the text, not in the value)
    fn escaped(t: &str) -> bool {
        t.chars().any(json_escaped)
    }
    fn walk(v: &Value, sub: &str, rep: &str, len: &mut usize) -> Option<Value> {
        let kind = match &v.kind {
            Kind::String(s) if escaped(s) => return None,
            Kind::String(s) => {
                let t = s.replace(sub, rep);
                *len = len.saturating_add(t.len());
                Kind::String(t)
            }
            Kind::Number(n) if !n.contains(sub) => Kind::Number(n.clone()),
            Kind::Bool(b) if !b.to_string().contains(sub) => Kind::Bool(*b),
            Kind::Null if !"null".contains(sub) => Kind::Null,
            Kind::Array(a) => Kind::Array(
                a.iter()
                    .map(|x| walk(x, sub, rep, len))
                    .collect::<Option<Vec<_>>>()?,
            ),
            Kind::Object(m) => {
                let mut out: Vec<crate::parse::json::Member> = Vec::with_capacity(m.len());
                for x in m {
                    if escaped(&x.key) {
                        return None;
                    }
                    let key = x.key.replace(sub, rep);
                    if out.iter().any(|y| y.key == key) {
                        return None;
                    }
                    *len = len.saturating_add(key.len());
                    out.push(crate::parse::json::Member {
                        key,
                        key_span: x.key_span,
                        value: walk(&x.value, sub, rep, len)?,
                    });
                }
                Kind::Object(out)
            }
            _ => return None,
        };
        Some(Value { kind, span: v.span })
    }
    let mut len = 0usize;
    let out = walk(v, sub, rep, &mut len)?;
    Some((out, len))
}

/// Whether JSON encoding (Terraform's `jsonencode`, the AWS provider's policy documents)
/// writes the character as an escape: `"`, `\`, control characters, and `<`, `>`, `&`,
/// U+2028 and U+2029, which `jsonencode` writes as `\u` escapes
/// (<https://developer.hashicorp.com/terraform/language/functions/jsonencode>).
fn json_escaped(c: char) -> bool {
    matches!(c, '"' | '\\' | '<' | '>' | '&' | '\u{2028}' | '\u{2029}') || c.is_control()
}

/// A known whole number.
fn known_index(v: &Value) -> Option<i64> {
    match &v.kind {
        Kind::Number(n) => n.parse::<i64>().ok(),
        Kind::String(s) => s.parse::<i64>().ok(),
        _ => None,
    }
}

/// The elements a `for` expression iterates: `(key, value)`. A list's key is its index; a
/// map's or object's elements come in the lexical order of their keys, as Terraform iterates
/// them. `None` when the collection is not known.
pub(super) fn elements(v: &Value) -> Option<Vec<(Value, Value)>> {
    match &v.kind {
        Kind::Array(a) => Some(
            a.iter()
                .enumerate()
                .map(|(i, x)| (number(i, x.span), x.clone()))
                .collect(),
        ),
        Kind::Object(m) => {
            if m.iter().any(|x| x.key.contains("UNKNOWN-")) {
                return None;
            }
            let mut out: Vec<(Value, Value)> = m
                .iter()
                .map(|x| (string(x.key.clone(), x.key_span), x.value.clone()))
                .collect();
            out.sort_by(|a, b| a.0.as_str().cmp(&b.0.as_str()));
            Some(out)
        }
        _ => None,
    }
}

impl<'m> Eval<'m> {
    /// The value of a variable bound by an enclosing `for` expression (the innermost of that
    /// name).
    pub(super) fn for_var(&self, name: &str) -> Option<Value> {
        let vars = self.for_vars.borrow();
        let (_, v, taint) = vars.iter().rev().find(|(n, _, _)| n == name)?;
        self.read_taint(*taint);
        // a value cloned is work too: its size is charged to the step budget, so a
        // variable repeated in nested `for` expressions cannot build values without bound
        // (red team 24)
        let cost = weight(v, MAX_ELEMENTS);
        self.charge(cost);
        Some(v.clone())
    }

    /// A `for` variable's value where it is read (kept out of [`Eval::eval`]'s frame, which
    /// recursion multiplies).
    #[inline(never)]
    pub(super) fn for_var_at(&self, name: &str, span: Span) -> Value {
        let mut x = self.for_var(name).unwrap_or_else(|| string("", span));
        x.span = span;
        x
    }

    /// A comparison's value ([`Eval::compare`]), or a placeholder when it is not decided.
    #[inline(never)]
    pub(super) fn comparison(
        &self,
        b: &'m hcl_edit::expr::BinaryOp,
        file: usize,
        span: Span,
        depth: usize,
    ) -> Result<Value, ParseError> {
        Ok(match self.compare(b, file, depth)? {
            Some(x) => Value {
                kind: Kind::Bool(x),
                span,
            },
            None => {
                let text = self.files[file].source.slice(span).trim().to_string();
                self.not_evaluated(&text, file, span)
            }
        })
    }

    /// Whether the collection `e` is a set (by how it is written: a `toset`/`set...` function,
    /// a variable of a `set(...)` type, a local that is one of those): a `for k, v` over a set
    /// binds `k` to the element, not to an index
    /// (<https://developer.hashicorp.com/terraform/language/expressions/for>; red team 28).
    pub(super) fn is_set_expr(&self, e: &'m Expression, file: usize, depth: usize) -> bool {
        self.is_set_at(e, &[], file, depth)
    }

    /// Whether the member of `e` that `path` selects is a set ([`Eval::is_set_expr`]): through
    /// object attributes and map keys, list and tuple elements (`local.l[0]`), and the
    /// functions that pick an element (`one`, `element`, `lookup`, `values(...)[i]`: red team
    /// 35); an element chosen by a key not written literally is a set when every element is.
    fn is_set_at(&self, e: &'m Expression, path: &[Step<'m>], file: usize, depth: usize) -> bool {
        if depth > 24 {
            return false;
        }
        let module = self.files[file].module;
        match e {
            Expression::Parenthesis(p) => self.is_set_at(p.inner(), path, file, depth + 1),
            Expression::Variable(v) if path.is_empty() && self.in_template.get() > 0 => {
                self.template_sets.borrow().iter().any(|s| s == v.as_str())
            }
            Expression::FuncCall(f) if !f.name.is_namespaced() => {
                let args: Vec<&'m Expression> = f.args.iter().collect();
                let any_then = |rest: &[Step<'m>]| -> Vec<Step<'m>> {
                    std::iter::once(Step::Any)
                        .chain(rest.iter().copied())
                        .collect()
                };
                match (f.name.name.as_str(), args.as_slice()) {
                    (
                        "toset" | "setunion" | "setintersection" | "setsubtract" | "setproduct",
                        _,
                    ) => path.is_empty(),
                    // the first argument's type (red team 29: `try(toset(...), [])`)
                    ("coalesce", [a, ..]) => self.is_set_at(a, path, file, depth + 1),
                    // an element of the first argument
                    ("one" | "element", [a, ..]) | ("lookup", [a, _, ..]) => {
                        self.is_set_at(a, &any_then(path), file, depth + 1)
                    }
                    ("values", [a]) if !path.is_empty() => {
                        self.is_set_at(a, &any_then(&path[1..]), file, depth + 1)
                    }
                    // the first argument that evaluates, as `try` itself decides (a failing
                    // `toset(...)` first leaves the second's type)
                    ("try", _) => {
                        for a in args {
                            let before = self.failures.get();
                            self.trying.set(self.trying.get() + 1);
                            let v = self.eval(a, file, depth + 1);
                            self.trying.set(self.trying.get() - 1);
                            if v.is_err() {
                                return false;
                            }
                            if self.failures.get() > before {
                                self.failures.set(before);
                                continue;
                            }
                            return self.is_set_at(a, path, file, depth + 1);
                        }
                        false
                    }
                    _ => false,
                }
            }
            // a conditional one of whose results is a set (Terraform unifies both to it)
            Expression::Conditional(c) => {
                self.is_set_at(&c.true_expr, path, file, depth + 1)
                    || self.is_set_at(&c.false_expr, path, file, depth + 1)
            }
            Expression::Array(a) => match path.split_first() {
                None => false,
                Some((Step::Index(i), rest)) => a
                    .iter()
                    .nth(*i)
                    .is_some_and(|x| self.is_set_at(x, rest, file, depth + 1)),
                Some((Step::Any, rest)) => {
                    a.iter().next().is_some()
                        && a.iter().all(|x| self.is_set_at(x, rest, file, depth + 1))
                }
                Some(_) => false,
            },
            Expression::Object(o) => match path.split_first() {
                None => false,
                Some((Step::Any, rest)) => {
                    o.iter().next().is_some()
                        && o.iter()
                            .all(|(_, v)| self.is_set_at(v.expr(), rest, file, depth + 1))
                }
                Some((Step::Key(k), rest)) => o
                    .iter()
                    .find(|(n, _)| key_name(n).is_some_and(|n| n == *k))
                    .is_some_and(|(_, v)| self.is_set_at(v.expr(), rest, file, depth + 1)),
                Some(_) => false,
            },
            Expression::Traversal(t) => {
                let Some(mut steps) = steps_of(t.operators.iter().map(|o| o.value())) else {
                    return false;
                };
                steps.extend(path.iter().copied());
                let Expression::Variable(root) = &t.expr else {
                    // `values(local.m)[0]`, `[...][0]`
                    return self.is_set_at(&t.expr, &steps, file, depth + 1);
                };
                let Some((Step::Key(name), rest)) = steps.split_first() else {
                    return false;
                };
                let name: &str = name;
                match root.as_str() {
                    // a variable of a set type, or a member of one of an object, map, list or
                    // tuple type (`object({ buckets = set(string) })`, red team 30); a
                    // variable of a child module whose type leaves it open (`any`, no `type`):
                    // the value its caller passes
                    "var" => match self
                        .var_types
                        .get(&(module, name))
                        .map(|&(_, ty)| set_type_at(ty, rest))
                    {
                        Some(Some(set)) => set,
                        _ => self
                            .modules
                            .get(module)
                            .and_then(|m| m.call)
                            .filter(|_| module != 0)
                            .and_then(|(cf, b)| {
                                b.body
                                    .attributes()
                                    .find(|a| a.key.as_str() == name)
                                    .map(|a| (cf, &a.value))
                            })
                            .is_some_and(|(cf, e)| self.is_set_at(e, rest, cf, depth + 1)),
                    },
                    // a child module's output: the expression the output holds
                    "module" => {
                        let call = format!("{}module.{name}", self.prefix(file));
                        let rest = match rest.first() {
                            Some(Step::Index(_) | Step::Any) => &rest[1..],
                            Some(Step::Key(_)) if rest.len() > 1 && rest[1].is_key() => {
                                // `module.x["k"].out`
                                &rest[1..]
                            }
                            _ => rest,
                        };
                        let Some((Step::Key(output), rest)) = rest.split_first() else {
                            return false;
                        };
                        let child = self.modules.iter().position(|m| {
                            m.prefix == format!("{call}.")
                                || m.prefix.starts_with(&format!("{call}["))
                        });
                        child
                            .and_then(|c| self.outputs.get(&(c, *output)))
                            .is_some_and(|&(of, e)| self.is_set_at(e, rest, of, depth + 1))
                    }
                    // a local, or an attribute or element of one (`local.cfg.buckets`,
                    // `local.sets["a"]`, `local.l[0]`)
                    "local" => self
                        .locals
                        .get(&(module, name))
                        .is_some_and(|&(f, x)| self.is_set_at(x, rest, f, depth + 1)),
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// `[for k, v in C : V if F]` and `{for k, v in C : K => V... if F}`: evaluated element by
    /// element when `C` is known. A filter `F` that is not known is assumed per element (one
    /// assumption per element value: [`Eval::condition_name`]), as a conditional is.
    pub(super) fn for_expr(
        &self,
        f: &'m ForExpr,
        file: usize,
        span: Span,
        depth: usize,
    ) -> Result<Value, ParseError> {
        let text = || self.files[file].source.slice(span).trim().to_string();
        let before = self.taint_mark();
        let coll = self.eval(&f.intro.collection_expr, file, depth + 1)?;
        let taint = self.taint_since(before);
        let Some(mut items) = elements(&coll) else {
            return Ok(self.not_evaluated(&text(), file, span));
        };
        if f.intro.key_var.is_some() && self.is_set_expr(&f.intro.collection_expr, file, depth) {
            for (k, v) in &mut items {
                *k = v.clone();
            }
        }
        let key_var = f.intro.key_var.as_ref().map(|k| k.as_str().to_string());
        let value_var = f.intro.value_var.as_str().to_string();
        let object = f.key_expr.is_some();
        let mut out: Vec<Value> = Vec::new();
        let mut members: Vec<Member> = Vec::new();
        if items.len() > MAX_ELEMENTS {
            return Err(self.error(
                file,
                span,
                format!("a `for` expression over more than {MAX_ELEMENTS} elements"),
            ));
        }
        for (i, (k, v)) in items.into_iter().enumerate() {
            let taint = super::eval::Taint {
                elem: i as u32 + 1,
                site: (file as u32, span.start),
                ..taint
            };
            let pushed = {
                let mut vars = self.for_vars.borrow_mut();
                let n = vars.len();
                if let Some(kv) = &key_var {
                    vars.push((kv.clone(), k.clone(), taint));
                }
                vars.push((value_var.clone(), v.clone(), taint));
                vars.len() - n
            };
            self.binding_ctx
                .borrow_mut()
                .push((file as u32, span.start, i as u32 + 1));
            let r = self.for_element(f, object, file, depth);
            self.binding_ctx.borrow_mut().pop();
            {
                let mut vars = self.for_vars.borrow_mut();
                let n = vars.len() - pushed;
                vars.truncate(n);
            }
            match r? {
                Element::Skip => {}
                Element::Undecided => return Ok(self.not_evaluated(&text(), file, span)),
                Element::Value(v) => out.push(v),
                Element::Pair(key, key_span, v) => {
                    match members.iter_mut().find(|m| m.key == key) {
                        Some(m) if f.grouping => {
                            if let Kind::Array(a) = &mut m.value.kind {
                                a.push(v);
                            }
                        }
                        // two elements with one key, without `...`: Terraform fails
                        Some(_) => {
                            self.fail();
                            return Ok(self.not_evaluated(&text(), file, span));
                        }
                        None => members.push(Member {
                            key,
                            key_span,
                            value: if f.grouping {
                                list(vec![v.clone()], v.span)
                            } else {
                                v
                            },
                        }),
                    }
                }
            }
        }
        Ok(if object {
            Value {
                kind: Kind::Object(members),
                span,
            }
        } else {
            list(out, span)
        })
    }

    fn for_element(
        &self,
        f: &'m ForExpr,
        object: bool,
        file: usize,
        depth: usize,
    ) -> Result<Element, ParseError> {
        if let Some(c) = &f.cond {
            let v = self.branch_operand(&c.expr, file, depth)?;
            match self.assumed_bool(&c.expr, &v, file) {
                Some(true) => {}
                Some(false) => return Ok(Element::Skip),
                None => return Ok(Element::Undecided),
            }
        }
        let v = self.eval(&f.value_expr, file, depth + 1)?;
        if !object {
            return Ok(Element::Value(v));
        }
        let Some(ke) = &f.key_expr else {
            return Ok(Element::Value(v));
        };
        let k = self.eval(ke, file, depth + 1)?;
        let key = match &k.kind {
            Kind::String(s) => s.clone(),
            Kind::Number(n) => n.clone(),
            Kind::Bool(b) => b.to_string(),
            _ => placeholder(&format!("key-{}-{}", file, k.span.start)),
        };
        Ok(Element::Pair(key, k.span, v))
    }

    /// Records a dynamic error (what Terraform reports while evaluating: an index out of
    /// range, `coalesce` of nothing): `try` falls back past it.
    pub(super) fn fail(&self) {
        self.failures.set(self.failures.get() + 1);
    }

    /// The functions beyond [`Eval::call`]'s own; `None` for a function not evaluated.
    pub(super) fn more_call(
        &self,
        name: &str,
        args: &[&'m Expression],
        file: usize,
        span: Span,
        depth: usize,
    ) -> Result<Option<Value>, ParseError> {
        let arg = |i: usize| -> Result<Value, ParseError> {
            match args.get(i) {
                Some(a) => self.eval(a, file, depth + 1),
                None => Err(self.error(file, span, format!("`{name}` needs an argument"))),
            }
        };
        let all = || -> Result<Vec<Value>, ParseError> {
            (0..args.len()).map(arg).collect::<Result<Vec<_>, _>>()
        };
        let unknown = |why: &str| {
            let short: String = self.files[file]
                .source
                .slice(span)
                .chars()
                .take(60)
                .collect();
            Some(self.unknown(
                &format!("{name}-{}-{}", file, span.start),
                format!("the result of `{short}` ({why})"),
                span,
            ))
        };
        Ok(match name {
            // https://developer.hashicorp.com/terraform/language/functions/try: the first
            // argument that evaluates without error; one whose value is not known makes the
            // result not known (Terraform would decide at apply)
            "try" => {
                for a in args {
                    let before = self.failures.get();
                    self.trying.set(self.trying.get() + 1);
                    let v = self.eval(a, file, depth + 1);
                    self.trying.set(self.trying.get() - 1);
                    let v = v?;
                    if self.failures.get() > before {
                        self.failures.set(before);
                        continue;
                    }
                    // (the name Terraform generates for an instance that exists is a value,
                    // not an error that may come later: `try(aws_iam_role.this[0].name, "")`
                    // of terraform-aws-modules is that name, red team 45; another value not
                    // known may hide an error, so the result is not known)
                    let generated_name = matches!(&v.kind, Kind::String(t)
                        if (t.starts_with("UNKNOWN-aws_") || t.starts_with("UNKNOWN-module."))
                            && t.ends_with("-name")
                            && t.contains("aws_")
                            && t.matches("UNKNOWN-").count() == 1);
                    if has_unknown(&v) && !generated_name {
                        return Ok(unknown("an argument of `try` is not known"));
                    }
                    let mut v = v;
                    v.span = span;
                    return Ok(Some(v));
                }
                self.fail();
                unknown("no argument of `try` evaluates")
            }
            // https://developer.hashicorp.com/terraform/language/functions/can
            "can" => {
                let before = self.failures.get();
                self.trying.set(self.trying.get() + 1);
                let v = arg(0);
                self.trying.set(self.trying.get() - 1);
                let v = v?;
                if self.failures.get() > before {
                    self.failures.set(before);
                    return Ok(Some(Value {
                        kind: Kind::Bool(false),
                        span,
                    }));
                }
                if has_unknown(&v) {
                    return Ok(unknown("its argument is not known"));
                }
                Some(Value {
                    kind: Kind::Bool(true),
                    span,
                })
            }
            // https://developer.hashicorp.com/terraform/language/functions/coalesce: the first
            // argument that is neither null nor an empty string
            "coalesce" => {
                for v in all()? {
                    match &v.kind {
                        Kind::Null => continue,
                        Kind::String(s) if s.is_empty() => continue,
                        _ if has_unknown(&v) => {
                            return Ok(unknown(
                                "an argument is not known: it may be null or empty",
                            ));
                        }
                        _ => {
                            let mut v = v;
                            v.span = span;
                            return Ok(Some(v));
                        }
                    }
                }
                self.fail();
                unknown("every argument is null or empty")
            }
            // https://developer.hashicorp.com/terraform/language/functions/coalescelist
            // https://developer.hashicorp.com/terraform/language/functions/one: null for an
            // empty list or set, the element of a one-element one, an error for more
            "one" => {
                let v = arg(0)?;
                match v.kind {
                    Kind::Array(a) if a.is_empty() => Some(Value {
                        kind: Kind::Null,
                        span,
                    }),
                    Kind::Array(mut a) if a.len() == 1 => {
                        let mut x = a.remove(0);
                        x.span = span;
                        Some(x)
                    }
                    Kind::Array(_) => {
                        self.fail();
                        unknown("a list of more than one element")
                    }
                    _ => unknown("its argument is not a known list"),
                }
            }
            "coalescelist" => {
                for v in all()? {
                    match &v.kind {
                        Kind::Array(a) if a.is_empty() => continue,
                        Kind::Array(_) => {
                            let mut v = v;
                            v.span = span;
                            return Ok(Some(v));
                        }
                        Kind::Null => continue,
                        _ => return Ok(unknown("an argument is not a known list")),
                    }
                }
                self.fail();
                unknown("every argument is an empty list")
            }
            // https://developer.hashicorp.com/terraform/language/functions/compact: drops null
            // and empty strings
            "compact" => {
                let v = arg(0)?;
                match v.kind {
                    Kind::Array(a) => {
                        let mut out = Vec::with_capacity(a.len());
                        for x in a {
                            match &x.kind {
                                Kind::Null => {}
                                Kind::String(s) if s.is_empty() => {}
                                Kind::String(s) if s.starts_with("UNKNOWN-") => {
                                    return Ok(unknown("an element is not known: it may be empty"));
                                }
                                _ => out.push(x),
                            }
                        }
                        Some(list(out, span))
                    }
                    _ => unknown("its argument is not a known list"),
                }
            }
            // https://developer.hashicorp.com/terraform/language/functions/flatten
            "flatten" => {
                fn flat(v: Value, out: &mut Vec<Value>) -> bool {
                    match v.kind {
                        Kind::Array(a) => a.into_iter().all(|x| flat(x, out)),
                        Kind::String(ref s) if s.starts_with("UNKNOWN-") => false,
                        _ => {
                            out.push(v);
                            true
                        }
                    }
                }
                let v = arg(0)?;
                let mut out = Vec::new();
                match v.kind {
                    Kind::Array(_) if flat(v, &mut out) => Some(list(out, span)),
                    _ => unknown("its argument is not a known list"),
                }
            }
            // https://developer.hashicorp.com/terraform/language/functions/merge: later
            // arguments win; null arguments are skipped
            "merge" => {
                let mut members: Vec<Member> = Vec::new();
                for v in all()? {
                    match v.kind {
                        Kind::Null => {}
                        Kind::Object(m) if !m.iter().any(|x| x.key.contains("UNKNOWN-")) => {
                            for x in m {
                                match members.iter_mut().find(|y| y.key == x.key) {
                                    Some(y) => *y = x,
                                    None => members.push(x),
                                }
                            }
                        }
                        _ => return Ok(unknown("an argument is not a known map")),
                    }
                }
                Some(Value {
                    kind: Kind::Object(members),
                    span,
                })
            }
            // https://developer.hashicorp.com/terraform/language/functions/keys (lexical order)
            "keys" | "values" => {
                let v = arg(0)?;
                match elements(&v) {
                    Some(items) if matches!(v.kind, Kind::Object(_)) => Some(list(
                        items
                            .into_iter()
                            .map(|(k, x)| if name == "keys" { k } else { x })
                            .collect(),
                        span,
                    )),
                    _ => unknown("its argument is not a known map"),
                }
            }
            // https://developer.hashicorp.com/terraform/language/functions/lookup
            "lookup" => {
                let m = arg(0)?;
                let before = self.standins.get();
                let k = arg(1)?;
                if self.standins.get() != before {
                    return Ok(unknown(
                        "its key reads the account, Region or partition, which are not given",
                    ));
                }
                match (&m.kind, known_str(&k)) {
                    (Kind::Object(members), Some(k))
                        if !members.iter().any(|x| x.key.contains("UNKNOWN-")) =>
                    {
                        match members.iter().find(|x| x.key == k) {
                            Some(x) => Some(x.value.clone()),
                            None if args.len() > 2 => Some(arg(2)?),
                            None => {
                                self.fail();
                                unknown("the key is not in the map")
                            }
                        }
                    }
                    _ => unknown("its arguments are not known"),
                }
            }
            // https://developer.hashicorp.com/terraform/language/functions/element: the index
            // wraps around
            "element" => {
                let l = arg(0)?;
                let i = arg(1)?;
                match (&l.kind, known_index(&i)) {
                    (Kind::Array(a), Some(_)) if a.is_empty() => {
                        self.fail();
                        unknown("the list is empty")
                    }
                    (Kind::Array(a), Some(i)) if i >= 0 => Some(a[i as usize % a.len()].clone()),
                    _ => unknown("its arguments are not known"),
                }
            }
            // https://developer.hashicorp.com/terraform/language/functions/slice
            "slice" => {
                let l = arg(0)?;
                let (s, e) = (arg(1)?, arg(2)?);
                match (&l.kind, known_index(&s), known_index(&e)) {
                    (Kind::Array(a), Some(s), Some(e))
                        if 0 <= s && s <= e && (e as usize) <= a.len() =>
                    {
                        Some(list(a[s as usize..e as usize].to_vec(), span))
                    }
                    (Kind::Array(_), Some(_), Some(_)) => {
                        self.fail();
                        unknown("the range is outside the list")
                    }
                    _ => unknown("its arguments are not known"),
                }
            }
            // https://developer.hashicorp.com/terraform/language/functions/replace: a
            // substring, or a regular expression written between slashes
            "replace" => {
                let (s, sub, rep) = (arg(0)?, arg(1)?, arg(2)?);
                // over a `jsonencode(...)` or `data.aws_iam_policy_document.x.json` value: the
                // same replacement in each of its strings (terraform-aws-modules/s3-bucket
                // fills `_S3_BUCKET_ARN_` so in every bucket policy; red team 60)
                // (a placeholder replacement, `aws_s3_bucket.this.arn` of a bucket named by a
                // variable, is written into the strings as an interpolation writes it)
                if matches!(s.kind, Kind::Object(_) | Kind::Array(_))
                    && let (Some(sub), Kind::String(rep)) = (known_str(&sub), &rep.kind)
                {
                    self.charge(1);
                    return Ok(match replace_in_json(&s, sub, rep) {
                        Some((_, len)) if len > super::eval::MAX_STRING => {
                            return Err(self.too_long(file, span));
                        }
                        Some((v, len)) => {
                            self.charge(len / 64);
                            Some(Value { span, ..v })
                        }
                        None => unknown(
                            "the substring may match the JSON text outside its strings, or the replacement needs escaping",
                        ),
                    });
                }
                match (known_str(&s), known_str(&sub), known_str(&rep)) {
                    (Some(s), Some(sub), Some(rep)) => {
                        // a replacement that squares its input at each step would allocate
                        // without bound (red team 28): its length is known before it is built
                        let n = if sub.len() >= 2 && sub.starts_with('/') && sub.ends_with('/') {
                            regex::Regex::new(&sub[1..sub.len() - 1])
                                .map_or(0, |re| re.find_iter(s).count())
                        } else if sub.is_empty() {
                            0
                        } else {
                            s.matches(sub).count()
                        };
                        let len = s.len().saturating_add(n.saturating_mul(rep.len()));
                        self.charge(len / 64);
                        if len > super::eval::MAX_STRING {
                            return Err(self.too_long(file, span));
                        }
                        if sub.len() >= 2 && sub.starts_with('/') && sub.ends_with('/') {
                            match regex::Regex::new(&sub[1..sub.len() - 1]) {
                                Ok(re) => Some(string(re.replace_all(s, rep).into_owned(), span)),
                                Err(_) => unknown("the regular expression is not read"),
                            }
                        } else if sub.is_empty() {
                            unknown("an empty substring")
                        } else {
                            Some(string(s.replace(sub, rep), span))
                        }
                    }
                    _ => unknown("its arguments are not known"),
                }
            }
            "trimprefix" | "trimsuffix" | "lower" | "upper" | "trimspace" | "title" => {
                let s = arg(0)?;
                let Some(s) = known_str(&s) else {
                    return Ok(unknown("its argument is not known"));
                };
                let out = match name {
                    "lower" => s.to_lowercase(),
                    "upper" => s.to_uppercase(),
                    "trimspace" => s.trim().to_string(),
                    "title" => return Ok(unknown("`title` is not evaluated")),
                    _ => {
                        let a = arg(1)?;
                        let Some(a) = known_str(&a) else {
                            return Ok(unknown("its argument is not known"));
                        };
                        if name == "trimprefix" {
                            s.strip_prefix(a).unwrap_or(s).to_string()
                        } else {
                            s.strip_suffix(a).unwrap_or(s).to_string()
                        }
                    }
                };
                Some(string(out, span))
            }
            // https://developer.hashicorp.com/terraform/language/functions/split
            "split" => {
                let (sep, s) = (arg(0)?, arg(1)?);
                match (known_str(&sep), known_str(&s)) {
                    (Some(sep), Some(s)) if !sep.is_empty() => {
                        Some(list(s.split(sep).map(|x| string(x, span)).collect(), span))
                    }
                    _ => unknown("its arguments are not known"),
                }
            }
            // https://developer.hashicorp.com/terraform/language/functions/format: `%s`, `%d`,
            // `%v` and `%%` of known values
            "format" => {
                let vals = all()?;
                let Some(spec) = vals.first().and_then(known_str) else {
                    return Ok(unknown("its format is not known"));
                };
                let args: Vec<&Value> = vals[1..].iter().collect();
                match format_one(spec, &args) {
                    Ok(out) => Some(string(out, span)),
                    Err(why) => unknown(why),
                }
            }
            // https://developer.hashicorp.com/terraform/language/functions/formatlist: the
            // format once per element, list arguments of one length, others repeated
            "formatlist" => {
                let vals = all()?;
                let Some(spec) = vals.first().and_then(known_str) else {
                    return Ok(unknown("its format is not known"));
                };
                let mut n: Option<usize> = None;
                for v in &vals[1..] {
                    if let Kind::Array(a) = &v.kind {
                        match n {
                            Some(m) if m != a.len() => {
                                self.fail();
                                return Ok(unknown("its lists differ in length"));
                            }
                            _ => n = Some(a.len()),
                        }
                    }
                }
                let n = n.unwrap_or(1);
                let mut out = Vec::with_capacity(n);
                for i in 0..n {
                    let args: Vec<&Value> = vals[1..]
                        .iter()
                        .map(|v| match &v.kind {
                            Kind::Array(a) => &a[i],
                            _ => v,
                        })
                        .collect();
                    match format_one(spec, &args) {
                        Ok(x) => out.push(string(x, span)),
                        Err(why) => return Ok(unknown(why)),
                    }
                }
                Some(list(out, span))
            }
            // https://developer.hashicorp.com/terraform/language/functions/setunion: the
            // elements of all, each once (order aside, which a set does not have)
            "setunion" => {
                let mut out: Vec<Value> = Vec::new();
                for v in all()? {
                    match v.kind {
                        Kind::Array(a) if a.len() + out.len() > 10_000 => {
                            return Ok(unknown("more than 10,000 elements"));
                        }
                        Kind::Array(a) => {
                            for x in a {
                                if !out.iter().any(|y| same(y, &x)) {
                                    out.push(x);
                                }
                            }
                        }
                        _ => return Ok(unknown("an argument is not a known set")),
                    }
                }
                // (a set of strings or numbers in Terraform's order, as `toset` gives it:
                // `tolist(setunion(["r"], ["*"]))[0]` is `"*"`, red team 72)
                Some(as_set(list(out, span)))
            }
            _ => None,
        })
    }
}

enum Element {
    Skip,
    Undecided,
    Value(Value),
    Pair(String, Span, Value),
}

/// `format`'s verbs `%s`, `%d`, `%v` and `%%` applied to known values; why not otherwise.
fn format_one(spec: &str, vals: &[&Value]) -> Result<String, &'static str> {
    let mut out = String::new();
    let mut next = 0;
    let mut chars = spec.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some('s' | 'd' | 'v') => {
                let Some(v) = vals.get(next) else {
                    return Err("too few arguments");
                };
                next += 1;
                match &v.kind {
                    Kind::String(s) if !s.contains("UNKNOWN-") => out.push_str(s),
                    Kind::Number(n) => out.push_str(n),
                    Kind::Bool(b) => out.push_str(&b.to_string()),
                    _ => return Err("an argument is not known"),
                }
            }
            _ => return Err("a format verb other than %s, %d, %v"),
        }
    }
    Ok(out)
}

/// Whether a value holds the account or Region stand-in (`--account`/`--region` not given).
fn holds_standin(v: &Value) -> bool {
    use crate::iac::cfn::resolve::{UNKNOWN_ACCOUNT, UNKNOWN_REGION};
    match &v.kind {
        Kind::String(s) => s.contains(UNKNOWN_ACCOUNT) || s.contains(UNKNOWN_REGION),
        Kind::Array(a) => a.iter().any(holds_standin),
        Kind::Object(m) => m.iter().any(|x| holds_standin(&x.value)),
        _ => false,
    }
}

/// A number Terraform reads from a value (a number, or a string of one, which the
/// arithmetic and comparison operators convert).
fn as_number(v: &Value) -> Option<f64> {
    match &v.kind {
        Kind::Number(n) => n.parse().ok(),
        Kind::String(s) => s.trim().parse().ok().filter(|_| !s.trim().is_empty()),
        _ => None,
    }
}

/// The name of an object key written as a name or a literal string.
pub(super) fn key_name(k: &hcl_edit::expr::ObjectKey) -> Option<String> {
    match k {
        hcl_edit::expr::ObjectKey::Ident(id) => Some(id.as_str().to_string()),
        hcl_edit::expr::ObjectKey::Expression(Expression::String(s)) => Some(s.value().to_string()),
        _ => None,
    }
}

/// One step into a collection, as [`Eval::is_set_at`] follows it: an attribute or literal
/// string key, a literal index, or any element (a key not written literally).
#[derive(Clone, Copy, Debug)]
pub(super) enum Step<'a> {
    Key(&'a str),
    Index(usize),
    Any,
}

impl Step<'_> {
    fn is_key(&self) -> bool {
        matches!(self, Step::Key(_))
    }
}

/// A traversal's operators as [`Step`]s; `None` for a splat.
fn steps_of<'a>(ops: impl Iterator<Item = &'a TraversalOperator>) -> Option<Vec<Step<'a>>> {
    ops.map(|o| match o {
        TraversalOperator::GetAttr(id) => Some(Step::Key(id.as_str())),
        TraversalOperator::Index(Expression::String(s)) => Some(Step::Key(s.value().as_str())),
        TraversalOperator::Index(Expression::Number(n)) => Some(
            n.value()
                .as_u64()
                .map_or(Step::Any, |i| Step::Index(i as usize)),
        ),
        TraversalOperator::LegacyIndex(i) => Some(Step::Index(*i.value() as usize)),
        TraversalOperator::Index(_) => Some(Step::Any),
        _ => None,
    })
    .collect()
}

/// Whether the member of a value of type `ty` that `path` selects has a set type: through
/// `object({ NAME = T })` attributes, `map(T)`, `list(T)`, `set(T)` and `tuple([...])`
/// elements. `None` where the type leaves it open (`any`): the value decides.
fn set_type_at(ty: &Expression, path: &[Step<'_>]) -> Option<bool> {
    let ty = match ty {
        Expression::Parenthesis(p) => p.inner(),
        t => t,
    };
    if matches!(ty, Expression::Variable(v) if v.as_str() == "any") {
        return None;
    }
    let Some((first, rest)) = path.split_first() else {
        return Some(ty.to_string().trim_start().starts_with("set"));
    };
    let Expression::FuncCall(f) = ty else {
        return Some(false);
    };
    let args: Vec<&Expression> = f.args.iter().collect();
    match (f.name.name.as_str(), args.as_slice(), first) {
        ("map", [t], _) | ("list" | "set", [t], Step::Index(_) | Step::Any) => set_type_at(t, rest),
        ("tuple", [Expression::Array(a)], Step::Index(i)) => match a.iter().nth(*i) {
            Some(t) => set_type_at(t, rest),
            None => Some(false),
        },
        ("tuple", [Expression::Array(a)], Step::Any) => {
            let all: Vec<Option<bool>> = a.iter().map(|t| set_type_at(t, rest)).collect();
            if all.contains(&None) {
                None
            } else {
                Some(!all.is_empty() && all.iter().all(|x| *x == Some(true)))
            }
        }
        ("object", [Expression::Object(o), ..], Step::Key(k)) => {
            match o
                .iter()
                .find(|(n, _)| key_name(n).is_some_and(|n| n == *k))
                .map(|(_, v)| v.expr())
            {
                // `optional(T)` / `optional(T, DEFAULT)`: the type is `T`
                Some(Expression::FuncCall(o)) if o.name.name.as_str() == "optional" => {
                    match o.args.iter().next() {
                        Some(t) => set_type_at(t, rest),
                        None => Some(false),
                    }
                }
                Some(t) => set_type_at(t, rest),
                None => Some(false),
            }
        }
        _ => Some(false),
    }
}

/// A number as Terraform writes it: an integer without a fraction, else the shortest decimal.
fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

impl<'m> Eval<'m> {
    /// Records that a stand-in value was read (see [`Eval::standins`]).
    pub(super) fn note_standin(&self, s: &str) {
        use crate::iac::cfn::resolve::{UNKNOWN_ACCOUNT, UNKNOWN_REGION};
        if s.contains(UNKNOWN_ACCOUNT) || s.contains(UNKNOWN_REGION) {
            self.standins.set(self.standins.get() + 1);
        }
    }

    /// `+`, `-`, `*`, `/`, `%` of two known numbers (or strings of numbers, which Terraform
    /// converts), and `-x`
    /// (<https://developer.hashicorp.com/terraform/language/expressions/operators#arithmetic-operators>);
    /// `None` when an operand is not a known number (a string converts only when it is a
    /// number as written: `" 1"` does not), or for a division by zero (Terraform gives an
    /// infinity there, which no policy value is). A remainder by zero is the dividend, as
    /// Terraform 1.11 computes it (red team 28).
    pub(super) fn arithmetic(
        &self,
        op: hcl_edit::expr::BinaryOperator,
        l: &Value,
        r: &Value,
    ) -> Option<String> {
        use hcl_edit::expr::BinaryOperator as B;
        let strict = |v: &Value| -> Option<f64> {
            match &v.kind {
                Kind::Number(n) => n.parse().ok(),
                Kind::String(s) if !s.is_empty() && s.trim() == s => s.parse().ok(),
                _ => None,
            }
        };
        let (a, b) = (strict(l)?, strict(r)?);
        if !a.is_finite() || !b.is_finite() {
            return None;
        }
        let x = match op {
            B::Plus => a + b,
            B::Minus => a - b,
            B::Mul => a * b,
            B::Div if b == 0.0 => return None,
            B::Mod if b == 0.0 => a,
            B::Div => a / b,
            // the remainder takes the sign of the dividend, as in Go
            B::Mod => a % b,
            _ => return None,
        };
        x.is_finite().then(|| number_text(x))
    }

    /// `<`, `>`, `<=`, `>=` (numbers, or strings of numbers, which Terraform converts), and
    /// `==`, `!=` of two known values of one type, Terraform comparing without conversion
    /// (<https://developer.hashicorp.com/terraform/language/expressions/operators>). `None`
    /// (not decided) when an operand is not known, holds a placeholder or a stand-in (the
    /// account or Region not given), or when `==`/`!=` meets two types (a variable's declared
    /// type would have converted one: [`Eval::typed`] applies the types it reads, but a value
    /// may come from elsewhere).
    pub(super) fn compare(
        &self,
        b: &'m hcl_edit::expr::BinaryOp,
        file: usize,
        depth: usize,
    ) -> Result<Option<bool>, ParseError> {
        use hcl_edit::expr::BinaryOperator as Op;
        // (an operand that read a stand-in or a root default is a placeholder already:
        // [`Eval::branch_operand`])
        let l = self.branch_operand(&b.lhs_expr, file, depth)?;
        let r = self.branch_operand(&b.rhs_expr, file, depth)?;
        if has_unknown(&l) || has_unknown(&r) || holds_standin(&l) || holds_standin(&r) {
            return Ok(None);
        }
        let op = b.operator.value();
        Ok(match op {
            Op::Less | Op::Greater | Op::LessEq | Op::GreaterEq => {
                match (as_number(&l), as_number(&r)) {
                    (Some(x), Some(y)) => Some(match op {
                        Op::Less => x < y,
                        Op::Greater => x > y,
                        Op::LessEq => x <= y,
                        _ => x >= y,
                    }),
                    _ => None,
                }
            }
            Op::Eq | Op::NotEq => {
                // (lists and maps compare their types too, `list(string)` and a tuple
                // literal never being equal, which values here do not carry: not decided)
                let comparable = matches!(
                    (&l.kind, &r.kind),
                    (Kind::String(_), Kind::String(_))
                        | (Kind::Number(_), Kind::Number(_))
                        | (Kind::Bool(_), Kind::Bool(_))
                );
                // Terraform's strings are in Unicode normal form C (`"café"` precomposed and
                // decomposed are one value): two strings that differ only outside ASCII may
                // be equal there (red team 35), not decided
                let unsure = match (&l.kind, &r.kind) {
                    (Kind::String(x), Kind::String(y)) => x != y && !(x.is_ascii() && y.is_ascii()),
                    _ => false,
                };
                (comparable && !unsure).then(|| same(&l, &r) == matches!(op, Op::Eq))
            }
            _ => None,
        })
    }

    /// A variable's value converted to its declared `type`: an `object` attribute declared
    /// `optional(T, DEFAULT)` and missing (or null) is `DEFAULT` (null without one), `bool`
    /// and `number` read from strings, `string` from numbers and booleans, through `list`,
    /// `set`, `map`, `tuple` and `object`
    /// (<https://developer.hashicorp.com/terraform/language/expressions/type-constraints>).
    /// What the conversion cannot read is left as it is.
    pub(super) fn typed(
        &self,
        v: Value,
        ty: &'m Expression,
        file: usize,
        depth: usize,
    ) -> Result<Value, ParseError> {
        if depth > 32 {
            return Ok(v);
        }
        let ty = match ty {
            Expression::Parenthesis(p) => p.inner(),
            t => t,
        };
        let span = v.span;
        Ok(match ty {
            Expression::Variable(t) => match (t.as_str(), &v.kind) {
                ("bool", Kind::String(s)) if s == "true" || s == "false" => Value {
                    kind: Kind::Bool(s == "true"),
                    span: v.span,
                },
                ("number", Kind::String(s)) if as_number(&v).is_some() => Value {
                    kind: Kind::Number(s.trim().to_string()),
                    span: v.span,
                },
                ("string", Kind::Number(n)) => string(n.clone(), v.span),
                ("string", Kind::Bool(b)) => string(b.to_string(), v.span),
                _ => v,
            },
            Expression::FuncCall(f) if !f.name.is_namespaced() => {
                let args: Vec<&'m Expression> = f.args.iter().collect();
                match (f.name.name.as_str(), args.as_slice(), v.kind) {
                    ("list" | "set", [t], Kind::Array(a)) => {
                        let mut out = Vec::with_capacity(a.len());
                        for x in a {
                            out.push(self.typed(x, t, file, depth + 1)?);
                        }
                        if f.name.name.as_str() == "set" {
                            as_set(list(out, span))
                        } else {
                            list(out, span)
                        }
                    }
                    ("map", [t], Kind::Object(m)) => {
                        let mut out = Vec::with_capacity(m.len());
                        for mut x in m {
                            x.value = self.typed(x.value, t, file, depth + 1)?;
                            out.push(x);
                        }
                        Value {
                            kind: Kind::Object(out),
                            span,
                        }
                    }
                    ("tuple", [Expression::Array(ts)], Kind::Array(a)) => {
                        let ts: Vec<&'m Expression> = ts.iter().collect();
                        let mut out = Vec::with_capacity(a.len());
                        for (i, x) in a.into_iter().enumerate() {
                            out.push(match ts.get(i) {
                                Some(t) => self.typed(x, t, file, depth + 1)?,
                                None => x,
                            });
                        }
                        list(out, span)
                    }
                    ("object", [Expression::Object(o)], Kind::Object(mut m)) => {
                        for (k, t) in o.iter() {
                            let Some(key) = key_name(k) else {
                                continue;
                            };
                            let t = t.expr();
                            let (inner, default) = match t {
                                Expression::FuncCall(c)
                                    if !c.name.is_namespaced()
                                        && c.name.name.as_str() == "optional" =>
                                {
                                    let a: Vec<&'m Expression> = c.args.iter().collect();
                                    match a.as_slice() {
                                        [t] => (*t, Some(None)),
                                        [t, d] => (*t, Some(Some(*d))),
                                        _ => continue,
                                    }
                                }
                                t => (t, None),
                            };
                            match m.iter().position(|x| x.key == key) {
                                Some(i) if m[i].value.kind != Kind::Null || default.is_none() => {
                                    let x = std::mem::replace(
                                        &mut m[i].value,
                                        Value {
                                            kind: Kind::Null,
                                            span,
                                        },
                                    );
                                    m[i].value = self.typed(x, inner, file, depth + 1)?;
                                }
                                found => {
                                    let Some(default) = default else { continue };
                                    let value = match default {
                                        Some(d) => {
                                            let mut d = self.eval(d, file, depth + 1)?;
                                            d.span = span;
                                            self.typed(d, inner, file, depth + 1)?
                                        }
                                        None => Value {
                                            kind: Kind::Null,
                                            span,
                                        },
                                    };
                                    match found {
                                        Some(i) => m[i].value = value,
                                        None => m.push(Member {
                                            key,
                                            key_span: span,
                                            value,
                                        }),
                                    }
                                }
                            }
                        }
                        Value {
                            kind: Kind::Object(m),
                            span,
                        }
                    }
                    (_, _, kind) => Value { kind, span },
                }
            }
            _ => v,
        })
    }

    /// [`Eval::typed`] for the variable `name` of module `m`, when it declares a type.
    pub(super) fn typed_var(
        &self,
        m: usize,
        name: &str,
        v: Value,
        depth: usize,
    ) -> Result<Value, ParseError> {
        match self.var_types.get(&(m, name)) {
            Some(&(f, t)) => self.typed(v, t, f, depth + 1),
            None => Ok(v),
        }
    }
}
