//! Condition operators, keys and values.

use crate::source::Span;

/// One `"Operator": {"key": values}` pair of a `Condition` block.
#[derive(Clone, Debug)]
pub struct Condition {
    pub op: Operator,
    pub op_span: Span,
    /// The key as written (`aws:SourceIp`).
    pub key: String,
    /// Lower-cased key: key names are case-insensitive.
    pub key_lower: String,
    pub key_span: Span,
    pub values: Vec<CondValue>,
    /// The values were a single scalar rather than an array.
    pub value_was_scalar: bool,
    pub values_span: Span,
}

/// A condition value. JSON booleans and numbers are accepted (quotes are optional for them) and
/// normalised to their text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CondValue {
    pub text: String,
    pub span: Span,
    pub json_type: ValueType,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueType {
    String,
    Bool,
    Number,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    ForAllValues,
    ForAnyValue,
}

/// Every condition operator the IAM docs list (case-sensitive names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OpBase {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

impl OpBase {
    pub const ALL: [OpBase; 27] = [
        OpBase::StringEquals,
        OpBase::StringNotEquals,
        OpBase::StringEqualsIgnoreCase,
        OpBase::StringNotEqualsIgnoreCase,
        OpBase::StringLike,
        OpBase::StringNotLike,
        OpBase::NumericEquals,
        OpBase::NumericNotEquals,
        OpBase::NumericLessThan,
        OpBase::NumericLessThanEquals,
        OpBase::NumericGreaterThan,
        OpBase::NumericGreaterThanEquals,
        OpBase::DateEquals,
        OpBase::DateNotEquals,
        OpBase::DateLessThan,
        OpBase::DateLessThanEquals,
        OpBase::DateGreaterThan,
        OpBase::DateGreaterThanEquals,
        OpBase::Bool,
        OpBase::BinaryEquals,
        OpBase::IpAddress,
        OpBase::NotIpAddress,
        OpBase::ArnEquals,
        OpBase::ArnLike,
        OpBase::ArnNotEquals,
        OpBase::ArnNotLike,
        OpBase::Null,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OpBase::StringEquals => "StringEquals",
            OpBase::StringNotEquals => "StringNotEquals",
            OpBase::StringEqualsIgnoreCase => "StringEqualsIgnoreCase",
            OpBase::StringNotEqualsIgnoreCase => "StringNotEqualsIgnoreCase",
            OpBase::StringLike => "StringLike",
            OpBase::StringNotLike => "StringNotLike",
            OpBase::NumericEquals => "NumericEquals",
            OpBase::NumericNotEquals => "NumericNotEquals",
            OpBase::NumericLessThan => "NumericLessThan",
            OpBase::NumericLessThanEquals => "NumericLessThanEquals",
            OpBase::NumericGreaterThan => "NumericGreaterThan",
            OpBase::NumericGreaterThanEquals => "NumericGreaterThanEquals",
            OpBase::DateEquals => "DateEquals",
            OpBase::DateNotEquals => "DateNotEquals",
            OpBase::DateLessThan => "DateLessThan",
            OpBase::DateLessThanEquals => "DateLessThanEquals",
            OpBase::DateGreaterThan => "DateGreaterThan",
            OpBase::DateGreaterThanEquals => "DateGreaterThanEquals",
            OpBase::Bool => "Bool",
            OpBase::BinaryEquals => "BinaryEquals",
            OpBase::IpAddress => "IpAddress",
            OpBase::NotIpAddress => "NotIpAddress",
            OpBase::ArnEquals => "ArnEquals",
            OpBase::ArnLike => "ArnLike",
            OpBase::ArnNotEquals => "ArnNotEquals",
            OpBase::ArnNotLike => "ArnNotLike",
            OpBase::Null => "Null",
        }
    }

    pub fn from_name(name: &str) -> Option<OpBase> {
        OpBase::ALL.into_iter().find(|o| o.as_str() == name)
    }

    /// Negated operators match when the key is absent (docs: "If the policy condition requires
    /// that the key is not matched ... and the right key is not present, the condition is true").
    pub fn is_negated(self) -> bool {
        matches!(
            self,
            OpBase::StringNotEquals
                | OpBase::StringNotEqualsIgnoreCase
                | OpBase::StringNotLike
                | OpBase::NumericNotEquals
                | OpBase::DateNotEquals
                | OpBase::NotIpAddress
                | OpBase::ArnNotEquals
                | OpBase::ArnNotLike
        )
    }

    /// The family of the operator, which decides how values are typed.
    pub fn family(self) -> OpFamily {
        use OpBase::*;
        match self {
            StringEquals
            | StringNotEquals
            | StringEqualsIgnoreCase
            | StringNotEqualsIgnoreCase
            | StringLike
            | StringNotLike => OpFamily::String,
            NumericEquals
            | NumericNotEquals
            | NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals => OpFamily::Numeric,
            DateEquals
            | DateNotEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals => OpFamily::Date,
            Bool => OpFamily::Bool,
            BinaryEquals => OpFamily::Binary,
            IpAddress | NotIpAddress => OpFamily::Ip,
            ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => OpFamily::Arn,
            Null => OpFamily::Null,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OpFamily {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

/// A full operator: optional set qualifier, base operator, optional `IfExists`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Operator {
    pub qualifier: Option<SetQualifier>,
    pub base: OpBase,
    pub if_exists: bool,
}

impl Operator {
    /// Parses an operator name exactly as IAM does: case-sensitive, `ForAllValues:` /
    /// `ForAnyValue:` prefixes, `IfExists` suffix on anything but `Null`. `NullIfExists` is
    /// accepted here (Access Analyzer reports it; the linter flags it) and evaluates as `Null`.
    pub fn parse(name: &str) -> Option<Operator> {
        let (qualifier, rest) = if let Some(r) = name.strip_prefix("ForAllValues:") {
            (Some(SetQualifier::ForAllValues), r)
        } else if let Some(r) = name.strip_prefix("ForAnyValue:") {
            (Some(SetQualifier::ForAnyValue), r)
        } else {
            (None, name)
        };
        if let Some(base) = OpBase::from_name(rest) {
            return Some(Operator {
                qualifier,
                base,
                if_exists: false,
            });
        }
        let base = OpBase::from_name(rest.strip_suffix("IfExists")?)?;
        Some(Operator {
            qualifier,
            base,
            if_exists: true,
        })
    }

    pub fn name(&self) -> String {
        let q = match self.qualifier {
            Some(SetQualifier::ForAllValues) => "ForAllValues:",
            Some(SetQualifier::ForAnyValue) => "ForAnyValue:",
            None => "",
        };
        format!(
            "{q}{}{}",
            self.base.as_str(),
            if self.if_exists { "IfExists" } else { "" }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_parse_case_sensitively() {
        let op = Operator::parse("ForAnyValue:StringLikeIfExists").unwrap();
        assert_eq!(op.qualifier, Some(SetQualifier::ForAnyValue));
        assert_eq!(op.base, OpBase::StringLike);
        assert!(op.if_exists);
        assert_eq!(op.name(), "ForAnyValue:StringLikeIfExists");
        assert!(Operator::parse("stringequals").is_none());
        assert!(Operator::parse("StringEqualsIgnoresCase").is_none());
        assert!(Operator::parse("StringEqualsIfExist").is_none());
        assert!(Operator::parse("forallvalues:StringEquals").is_none());
        assert!(Operator::parse("StringLikeIgnoreCase").is_none());
        for base in OpBase::ALL {
            assert_eq!(Operator::parse(base.as_str()).unwrap().base, base);
        }
    }
}
