//! Evaluation across module calls: `var.x` of a child module (the `module` block's argument,
//! evaluated in the caller), `count.index`/`each.key`/`each.value` inside a `module` block,
//! `module.NAME.OUTPUT` (the child's `output`), `path.module`. See [`super::modules`] for how
//! the module instances are read.

use hcl_edit::expr::TraversalOperator;

use super::eval::{Eval, span_of, string};
use super::modules::Key;
use crate::parse::ParseError;
use crate::parse::json::{Kind, Value};
use crate::source::Span;

impl<'m> Eval<'m> {
    /// The folder of the module of `file`, relative to the root module's (`path.module`).
    pub(super) fn module_dir(&self, file: usize) -> String {
        self.modules
            .get(self.files[file].module)
            .map_or_else(|| ".".into(), |m| m.dir.clone())
    }

    /// The address prefix of the module of `file` (`""`, `module.a.`).
    pub(super) fn prefix(&self, file: usize) -> &str {
        self.modules
            .get(self.files[file].module)
            .map_or("", |m| m.prefix.as_str())
    }

    /// A variable of a child module: the argument of its `module` block (evaluated where the
    /// block is), else the variable's default, else a placeholder.
    pub(super) fn module_var(
        &self,
        m: usize,
        name: &str,
        file: usize,
        span: Span,
        depth: usize,
    ) -> Result<Value, ParseError> {
        let module = self.modules[m].prefix.trim_end_matches('.').to_string();
        let Some(&(vf, default)) = self.vars.get(&(m, name)) else {
            return Err(self.error(
                file,
                span,
                format!("`var.{name}` is not declared in the module `{module}`"),
            ));
        };
        if let Some((cf, call)) = self.modules[m].call
            && let Some(a) = call.body.get_attribute(name)
        {
            self.calling.borrow_mut().push(m);
            let v = self.eval(&a.value, cf, depth + 1);
            self.calling.borrow_mut().pop();
            let v = v?;
            // `null` for a variable declared `nullable = false` is its default
            // (<https://developer.hashicorp.com/terraform/language/values/variables#disallowing-null-input-values>)
            if !(v.kind == Kind::Null
                && self.non_nullable.contains(&(m, name))
                && default.is_some())
            {
                let v = self.carried(v, cf, file, span);
                return self.typed_var(m, name, v, depth);
            }
        }
        match default {
            Some(e) => {
                let v = self.carried(self.eval(e, vf, depth + 1)?, vf, file, span);
                self.typed_var(m, name, v, depth)
            }
            None => Ok(self.unknown(
                &format!("{module}.var.{name}"),
                format!(
                    "the variable `{name}` of `{module}` (not set by the module call, no default)"
                ),
                span,
            )),
        }
    }

    /// `count.index`, `each.key`, `each.value` inside the `module` block being evaluated for
    /// one of its instances; `None` elsewhere.
    pub(super) fn instance_value(
        &self,
        first: &str,
        second: &str,
        file: usize,
        span: Span,
        depth: usize,
    ) -> Result<Option<Value>, ParseError> {
        let Some(&m) = self.calling.borrow().last() else {
            return Ok(None);
        };
        let Some((cf, call)) = self.modules[m].call else {
            return Ok(None);
        };
        let within = span_of(call);
        let inside = |f: usize, w: Span| f == file && w.start <= span.start && span.end <= w.end;
        let merged = self
            .parts
            .get(&(call as *const hcl_edit::structure::Block))
            .is_some_and(|p| p.iter().any(|&(f, w)| inside(f, w)));
        if !inside(cf, within) && !merged {
            return Ok(None);
        }
        Ok(match (&self.modules[m].key, first, second) {
            (Key::Index(i), "count", "index") => Some(Value {
                kind: Kind::Number(i.to_string()),
                span,
            }),
            (Key::Each(k), "each", "key") => Some(string(k.clone(), span)),
            (Key::Each(k), "each", "value") => {
                let Some(a) = call.body.get_attribute("for_each") else {
                    return Ok(None);
                };
                let all = self.eval(&a.value, cf, depth + 1)?;
                match &all.kind {
                    Kind::Object(_) => all.get(k).cloned().map(|mut v| {
                        v.span = span;
                        v
                    }),
                    // a set: the value is the key
                    _ => Some(string(k.clone(), span)),
                }
            }
            _ => None,
        })
    }

    /// `module.NAME.OUTPUT` (`module.NAME[KEY].OUTPUT`): the child module's output, evaluated
    /// in the child; a placeholder when the module is not read.
    pub(super) fn module_output(
        &self,
        t: &'m hcl_edit::expr::Traversal,
        file: usize,
        span: Span,
        depth: usize,
    ) -> Result<Value, ParseError> {
        let full = self.files[file].source.slice(span).trim().to_string();
        let ops = &t.operators;
        let mut i = 0;
        let Some(TraversalOperator::GetAttr(name)) = ops.first().map(|o| o.value()) else {
            return Ok(self.unknown(&full, format!("`{full}` (not evaluated statically)"), span));
        };
        i += 1;
        let call = format!("{}module.{}", self.prefix(file), name.as_str());
        let mut key = String::new();
        if let Some(TraversalOperator::Index(e)) = ops.get(i).map(|o| o.value()) {
            let k = self.eval(e, file, depth + 1)?;
            key = match &k.kind {
                Kind::Number(n) => format!("[{n}]"),
                Kind::String(s) if !s.starts_with("UNKNOWN-") => {
                    format!("[{}]", serde_json::Value::String(s.clone()))
                }
                _ => "[?]".into(),
            };
            i += 1;
        }
        let Some(TraversalOperator::GetAttr(output)) = ops.get(i).map(|o| o.value()) else {
            return Ok(self.unknown(
                &full,
                format!("`{full}` (a module's outputs as a whole are not evaluated)"),
                span,
            ));
        };
        i += 1;
        if let Some(why) = self.unread.get(&call) {
            return Ok(self.unknown(
                &format!("{call}.{}", output.as_str()),
                format!("the output `{}` of `{call}`, {why}", output.as_str()),
                span,
            ));
        }
        // the instance named, or the one instance a module read as one is
        let child = [format!("{call}{key}."), format!("{call}.")]
            .iter()
            .find_map(|p| self.modules.iter().position(|m| &m.prefix == p));
        let Some(child) = child else {
            if self
                .modules
                .iter()
                .any(|m| m.prefix.starts_with(&format!("{call}[")))
                || key.is_empty() && self.calls(&call, file)
            {
                return Ok(self.unknown(
                    &full,
                    format!("`{full}` (an instance of `{call}` not known statically, or `{call}` has no instances)"),
                    span,
                ));
            }
            return Err(self.error(
                file,
                span,
                format!("`{call}` is not a module call of the module"),
            ));
        };
        let Some(&(of, e)) = self.outputs.get(&(child, output.as_str())) else {
            return Err(self.error(
                file,
                span,
                format!("the module `{call}` has no output `{}`", output.as_str()),
            ));
        };
        let v = self.carried(self.eval(e, of, depth + 1)?, of, file, span);
        self.apply(v, &ops[i..], file, span, depth)
    }

    /// Whether the module of `file` holds a `module` block for `call`.
    fn calls(&self, call: &str, file: usize) -> bool {
        let m = self.files[file].module;
        let prefix = self.prefix(file);
        self.files.iter().filter(|f| f.module == m).any(|f| {
            f.body.blocks().any(|b| {
                b.ident.as_str() == "module"
                    && b.labels.len() == 1
                    && format!("{prefix}module.{}", b.labels[0].as_str()) == call
            })
        })
    }
}
