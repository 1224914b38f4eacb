//! A parameter value given on the command line (`--template-param`, `--template-params`)
//! checked against the parameter's declaration, as CloudFormation checks it before it creates
//! or updates a stack
//! (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html>):
//!
//! - `Number`: an integer or a float; `List<Number>`: a comma-separated list of them;
//! - `CommaDelimitedList` and `List<...>`: split on commas, each member space-trimmed;
//! - `AllowedValues`: the value (each member of a list) is one of them;
//! - `AllowedPattern` (`String` and `CommaDelimitedList`): the pattern matches the entire value
//!   (each member of a list);
//! - `MinLength`/`MaxLength` (`String`) and `MinValue`/`MaxValue` (`Number`).
//!
//! A value CloudFormation would reject is an error: an analysis of a stack that cannot be
//! created would answer for parameter values that never take effect. An `AllowedPattern`
//! (a Java regular expression) that the `regex` crate cannot compile is not checked.

use super::resolve::scalar_text;
use crate::parse::json::{Kind, Value};

/// The members of a list parameter's value, as CloudFormation splits it.
pub fn members(value: &str) -> Vec<String> {
    value.split(',').map(|s| s.trim().to_string()).collect()
}

fn is_number(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
        && s.parse::<f64>().is_ok_and(f64::is_finite)
}

fn number_of(v: &Value) -> Option<f64> {
    scalar_text(v).and_then(|t| t.trim().parse::<f64>().ok())
}

/// Why CloudFormation would reject `value` for the parameter `name` declared as `decl`.
pub fn check(name: &str, decl: &Value, value: &str) -> Result<(), String> {
    let ty = decl.get("Type").and_then(Value::as_str).unwrap_or("String");
    let is_list = ty.starts_with("List<") || ty == "CommaDelimitedList";
    let numeric = ty == "Number" || ty == "List<Number>";
    let items: Vec<String> = if is_list {
        members(value)
    } else {
        vec![value.to_string()]
    };
    let shown = |s: &str| -> String {
        if is_list {
            format!("`{s}` (a member of `{value}`)")
        } else {
            format!("`{s}`")
        }
    };
    if numeric && let Some(bad) = items.iter().find(|s| !is_number(s)) {
        return Err(format!(
            "the value {} of the parameter `{name}` is not a number, as its type `{ty}` requires",
            shown(bad)
        ));
    }
    // an SSM parameter type's value is the name of an SSM parameter
    let ssm = ty.starts_with("AWS::SSM::Parameter::");
    if let Some(Kind::Array(allowed)) = decl.get("AllowedValues").filter(|_| !ssm).map(|v| &v.kind)
    {
        let allowed: Vec<String> = allowed.iter().filter_map(scalar_text).collect();
        if let Some(bad) = items.iter().find(|s| !allowed.contains(s)) {
            return Err(format!(
                "the value {} of the parameter `{name}` is not one of its `AllowedValues` ({})",
                shown(bad),
                allowed
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    if let Some(pattern) = decl.get("AllowedPattern").and_then(scalar_text)
        && (ty == "String" || ty == "CommaDelimitedList")
    {
        // a Java pattern the `regex` crate cannot compile (look-around, ...) is not checked
        if let Ok(re) = regex::Regex::new(&format!("^(?:{pattern})$"))
            && let Some(bad) = items.iter().find(|s| !re.is_match(s))
        {
            return Err(format!(
                "the value {} of the parameter `{name}` does not match its `AllowedPattern` `{pattern}`",
                shown(bad)
            ));
        }
    }
    if ty == "String" {
        let len = value.chars().count() as f64;
        if let Some(min) = decl.get("MinLength").and_then(number_of)
            && len < min
        {
            return Err(format!(
                "the value `{value}` of the parameter `{name}` is shorter than its `MinLength` {min}"
            ));
        }
        if let Some(max) = decl.get("MaxLength").and_then(number_of)
            && len > max
        {
            return Err(format!(
                "the value `{value}` of the parameter `{name}` is longer than its `MaxLength` {max}"
            ));
        }
    }
    if ty == "Number"
        && let Ok(n) = value.parse::<f64>()
    {
        if let Some(min) = decl.get("MinValue").and_then(number_of)
            && n < min
        {
            return Err(format!(
                "the value `{value}` of the parameter `{name}` is less than its `MinValue` {min}"
            ));
        }
        if let Some(max) = decl.get("MaxValue").and_then(number_of)
            && n > max
        {
            return Err(format!(
                "the value `{value}` of the parameter `{name}` is greater than its `MaxValue` {max}"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decl(yaml: &str) -> Value {
        crate::parse::json::parse(yaml).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn numbers() {
        assert!(is_number("42") && is_number("-1.5") && is_number("1e3"));
        assert!(!is_number("") && !is_number("NaN") && !is_number("inf") && !is_number("12a"));
        let d = decl(r#"{"Type": "Number", "MinValue": 1, "MaxValue": 10}"#);
        assert!(check("N", &d, "5").is_ok());
        assert!(check("N", &d, "11").unwrap_err().contains("MaxValue"));
        assert!(check("N", &d, "ten").unwrap_err().contains("not a number"));
    }
}
