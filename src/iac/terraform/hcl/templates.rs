//! String templates with their directives, and `templatefile()`.
//!
//! A template's literal parts, interpolations (`${...}`) and directives (`%{if}`/`%{else}`/
//! `%{endif}`, `%{for}`/`%{endfor}`) are rendered as Terraform renders them, with the `~` strip
//! markers removing the whitespace (newlines included) next to them
//! (<https://developer.hashicorp.com/terraform/language/expressions/strings#directives>,
//! <https://developer.hashicorp.com/terraform/language/expressions/strings#whitespace-stripping>).
//! A condition that is not known is assumed as a conditional's is ([`Eval::assumed_bool`]); a
//! `for` over a collection that is not known leaves the whole template unknown.
//!
//! `templatefile(path, vars)` renders a file of the repository as a template whose only
//! variables are `vars`
//! (<https://developer.hashicorp.com/terraform/language/functions/templatefile>). The files are
//! read between runs of the module ([`super::load_sources`]): a run that meets a template not
//! yet read records it in [`Eval::wanted`] and is run again once it is read. The rendered text
//! keeps the segments that map it back to the template file ([`Eval::rendered`]), so a policy
//! rendered from one points at the template's own lines.

use hcl_edit::expr::Expression;
use hcl_edit::template::{Directive, Element, Template};

use super::eval::{Eval, Segments, span_of, string};
use crate::parse::ParseError;
use crate::parse::json::{Kind, Value};
use crate::source::Span;

/// The templates of `templatefile()` read for a module: the path (normalised, relative to the
/// working directory) → the file's index in [`Eval::files`] and its parsed template, or why it
/// cannot be read.
pub type Templates = std::collections::BTreeMap<String, Result<(usize, Template), String>>;

/// No templates (where a module is read before any is: its module calls' `count`/`for_each`).
pub static NO_TEMPLATES: Templates = std::collections::BTreeMap::new();

/// How a rendering ended.
pub(super) enum Rendered {
    Done,
    /// A part is not known: a condition neither known nor assumed, a collection not known.
    Unknown,
    /// A dynamic error (a null interpolated): `try` falls back past it.
    Failed,
}

fn strip_start(e: &Element) -> bool {
    match e {
        Element::Literal(_) => false,
        Element::Interpolation(i) => i.strip.strip_start(),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(d) => d.if_expr.strip.strip_start(),
            Directive::For(d) => d.for_expr.strip.strip_start(),
        },
    }
}

fn strip_end(e: &Element) -> bool {
    match e {
        Element::Literal(_) => false,
        Element::Interpolation(i) => i.strip.strip_end(),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(d) => d.endif_expr.strip.strip_end(),
            Directive::For(d) => d.endfor_expr.strip.strip_end(),
        },
    }
}

impl<'m> Eval<'m> {
    /// Renders `t` (of file `file`) into `out`, recording in `segs` where each rendered part
    /// comes from. `strip_first`/`strip_last`: a strip marker of the enclosing directive
    /// removes the whitespace at the start/end of the template.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn render(
        &self,
        t: &'m Template,
        file: usize,
        depth: usize,
        out: &mut String,
        segs: &mut Segments,
        strip_first: bool,
        strip_last: bool,
    ) -> Result<Rendered, ParseError> {
        let els: Vec<&'m Element> = t.iter().collect();
        let src = &self.files[file].source;
        for (i, el) in els.iter().enumerate() {
            match el {
                Element::Literal(lit) => {
                    let trim_start = if i == 0 {
                        strip_first
                    } else {
                        strip_end(els[i - 1])
                    };
                    let trim_end = match els.get(i + 1) {
                        None => strip_last,
                        Some(n) => strip_start(n),
                    };
                    let value: &str = lit.as_str();
                    let a = if trim_start {
                        value.len() - value.trim_start().len()
                    } else {
                        0
                    };
                    let b = if trim_end {
                        value.trim_end().len()
                    } else {
                        value.len()
                    };
                    if a >= b {
                        continue;
                    }
                    let sp = span_of(lit);
                    let raw = src.slice(sp);
                    if raw == value {
                        segs.push((out.len() as u32, sp.start + a as u32));
                    } else if a == 0 && b == value.len() {
                        super::eval::align(raw, value, out.len() as u32, sp.start, segs);
                    } else {
                        // escapes and a stripped part together: the part's start is near
                        segs.push((out.len() as u32, sp.start + a as u32));
                    }
                    out.push_str(&value[a..b]);
                    self.charge(1 + (b - a) / 64);
                }
                Element::Interpolation(x) => {
                    segs.push((out.len() as u32, span_of(&x.expr).start));
                    let v = self.eval(&x.expr, file, depth + 1)?;
                    // a null in a template is an error in Terraform ("Cannot include a null
                    // value in a string template"): `try` falls back past it
                    if v.kind == Kind::Null {
                        return Ok(Rendered::Failed);
                    }
                    out.push_str(&self.interpolated(&v));
                }
                Element::Directive(d) => {
                    let r = match d.as_ref() {
                        Directive::If(d) => {
                            let c = &d.if_expr.cond_expr;
                            let v = self.branch_operand(c, file, depth)?;
                            let endif_start = d.endif_expr.strip.strip_start();
                            match (self.assumed_bool(c, &v, file), &d.else_expr) {
                                (None, _) => Rendered::Unknown,
                                (Some(true), e) => self.render(
                                    &d.if_expr.template,
                                    file,
                                    depth + 1,
                                    out,
                                    segs,
                                    d.if_expr.strip.strip_end(),
                                    e.as_ref().map_or(endif_start, |e| e.strip.strip_start()),
                                )?,
                                (Some(false), Some(e)) => self.render(
                                    &e.template,
                                    file,
                                    depth + 1,
                                    out,
                                    segs,
                                    e.strip.strip_end(),
                                    endif_start,
                                )?,
                                (Some(false), None) => Rendered::Done,
                            }
                        }
                        Directive::For(d) => self.render_for(d, file, depth, out, segs)?,
                    };
                    if !matches!(r, Rendered::Done) {
                        return Ok(r);
                    }
                }
            }
            if out.len() > super::eval::MAX_STRING {
                return Err(self.too_long(file, span_of(*el)));
            }
        }
        Ok(Rendered::Done)
    }

    fn render_for(
        &self,
        d: &'m hcl_edit::template::ForDirective,
        file: usize,
        depth: usize,
        out: &mut String,
        segs: &mut Segments,
    ) -> Result<Rendered, ParseError> {
        let f = &d.for_expr;
        let before = self.taint_mark();
        let coll = self.eval(&f.collection_expr, file, depth + 1)?;
        let taint = self.taint_since(before);
        let Some(mut items) = super::functions::elements(&coll) else {
            return Ok(Rendered::Unknown);
        };
        if f.key_var.is_some() && self.is_set_expr(&f.collection_expr, file, depth) {
            for (k, v) in &mut items {
                *k = v.clone();
            }
        }
        let key_var = f.key_var.as_ref().map(|k| k.as_str().to_string());
        let value_var = f.value_var.as_str().to_string();
        for (i, (k, v)) in items.into_iter().enumerate() {
            self.charge(1);
            let taint = super::eval::Taint {
                elem: i as u32 + 1,
                site: (file as u32, span_of(&f.collection_expr).start),
                ..taint
            };
            let pushed = {
                let mut vars = self.for_vars.borrow_mut();
                let n = vars.len();
                if let Some(kv) = &key_var {
                    vars.push((kv.clone(), k, taint));
                }
                vars.push((value_var.clone(), v, taint));
                vars.len() - n
            };
            self.binding_ctx.borrow_mut().push((
                file as u32,
                span_of(&f.collection_expr).start,
                i as u32 + 1,
            ));
            let r = self.render(
                &f.template,
                file,
                depth + 1,
                out,
                segs,
                f.strip.strip_end(),
                d.endfor_expr.strip.strip_start(),
            );
            self.binding_ctx.borrow_mut().pop();
            {
                let mut vars = self.for_vars.borrow_mut();
                let n = vars.len() - pushed;
                vars.truncate(n);
            }
            let r = r?;
            if !matches!(r, Rendered::Done) {
                return Ok(r);
            }
            self.step(file, span_of(&f.collection_expr), depth)?;
        }
        Ok(Rendered::Done)
    }

    /// A template's reference to a name that is not one of its variables: an error in
    /// Terraform ("vars map does not contain key").
    #[cold]
    pub(super) fn outside_template_vars(&self, name: &str, file: usize, span: Span) -> ParseError {
        self.error(
            file,
            span,
            format!("the template refers to `{name}`, which is not one of the variables passed to `templatefile`"),
        )
    }

    /// `templatefile(path, vars)`.
    pub(super) fn templatefile(
        &self,
        args: &[&'m Expression],
        file: usize,
        span: Span,
        depth: usize,
    ) -> Result<Value, ParseError> {
        let short: String = self.files[file]
            .source
            .slice(span)
            .chars()
            .take(60)
            .collect();
        let unknown = |why: &str| {
            self.unknown(
                &format!("templatefile-{}-{}", file, span.start),
                format!("the result of `{short}` ({why})"),
                span,
            )
        };
        if self.in_template.get() > 0 {
            // "templatefile is not allowed within a template" (Terraform rejects the recursion)
            return Err(self.error(
                file,
                span,
                "`templatefile` is called inside a template rendered by `templatefile`, which Terraform does not allow".into(),
            ));
        }
        let [path, vars] = args else {
            return Err(self.error(
                file,
                span,
                "`templatefile` takes two arguments: a path and an object of variables".into(),
            ));
        };
        let mark = self.taint_mark();
        let p = self.eval(path, file, depth + 1)?;
        // a path chosen by a root variable's default is a choice a caller or `-var` may make
        // otherwise: the other files are never read, so the result is not known (red team 28)
        if self.taint_since(mark).defaults {
            return Ok(unknown(
                "its path is chosen by a root variable's default, which `-var` or a caller may change; pass the variable with `--template-param`",
            ));
        }
        let rel = match &p.kind {
            Kind::String(s) if !s.contains("UNKNOWN-") => s.clone(),
            _ => return Ok(unknown("its path is not known")),
        };
        if std::path::Path::new(&rel).is_absolute() {
            return Err(self.error(
                file,
                span,
                format!("`templatefile(\"{rel}\", ...)` names an absolute path; greenlight reads files inside the repository only"),
            ));
        }
        let rel = super::modules::normalize(&rel);
        // the variables that are sets (written so in the object: `toset(...)`, a set variable)
        let mut sets: Vec<String> = Vec::new();
        if let Expression::Object(o) = vars {
            for (k, v) in o.iter() {
                let Some(name) = super::functions::key_name(k) else {
                    continue;
                };
                if self.is_set_expr(v.expr(), file, 0) {
                    sets.push(name);
                }
            }
        }
        let before = self.taint_mark();
        let vars = self.eval(vars, file, depth + 1)?;
        let taint = self.taint_since(before);
        let members = match vars.kind {
            Kind::Object(m) if m.iter().all(|m| !m.key.contains("UNKNOWN-")) => m,
            _ => return Ok(unknown("its variables are not a known object")),
        };
        let (at, t) = match self.templates.get(&rel) {
            None => {
                self.wanted.borrow_mut().insert(rel);
                return Ok(unknown("the template is read on the next run"));
            }
            Some(Err(why)) => return Err(self.error(file, span, why.clone())),
            Some(Ok((at, t))) => (*at, t),
        };
        // the template sees its variables only (no `for` variable or `dynamic` iterator of
        // where it is called)
        let saved_vars = std::mem::take(&mut *self.for_vars.borrow_mut());
        let saved_its = std::mem::take(&mut *self.iterators.borrow_mut());
        let saved_taint = std::mem::take(&mut *self.iterator_taint.borrow_mut());
        let saved_sets = std::mem::replace(&mut *self.template_sets.borrow_mut(), sets);
        let taint = super::eval::Taint {
            site: (file as u32, span.start),
            ..taint
        };
        self.for_vars
            .borrow_mut()
            .extend(members.into_iter().map(|m| (m.key, m.value, taint)));
        self.in_template.set(self.in_template.get() + 1);
        self.binding_ctx
            .borrow_mut()
            .push((file as u32, span.start, 0));
        let mut out = String::new();
        let mut segs = Segments::new();
        let r = self.render(t, at, depth + 1, &mut out, &mut segs, false, false);
        self.binding_ctx.borrow_mut().pop();
        self.in_template.set(self.in_template.get() - 1);
        *self.for_vars.borrow_mut() = saved_vars;
        *self.iterators.borrow_mut() = saved_its;
        *self.iterator_taint.borrow_mut() = saved_taint;
        *self.template_sets.borrow_mut() = saved_sets;
        Ok(match r? {
            Rendered::Done => {
                let source = self.files[at].source.clone();
                self.rendered
                    .borrow_mut()
                    .insert(out.clone(), (source, segs));
                string(out, span)
            }
            Rendered::Unknown => unknown("a condition or collection of the template is not known"),
            Rendered::Failed => {
                self.fail();
                unknown("the template interpolates a null value")
            }
        })
    }
}
