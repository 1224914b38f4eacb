import sys; sys.path.insert(0, "tools")
from rulegen import *
CO = U+"reference_policies_elements_condition_operators.html"

def typed(code, name, family, aa, anchor, test, what_val, help_txt, bad_cond, good_cond, what, why):
    rule(code, name, "Warning", "all", aa, CO + anchor, f'''
for s in &cx.policy.statements {{
    for c in &s.conditions {{
        if c.op.base.family() != OpFamily::{family} {{ continue; }}
        for v in &c.values {{
            if v.text.contains("${{") {{ continue; }}
            if !{test}(&v.text) {{
                out.push(cx.finding(&RULE, v.span, format!("`{{}}` is not {what_val} for `{{}}`", v.text, c.op.name()))
                    .help("{help_txt}"));
            }}
        }}
    }}
}}
''', what, why, P(S(Condition=bad_cond)), P(S(Condition=good_cond)))

typed("GL044","non-boolean-value","Bool",["TYPE_MISMATCH_BOOLEAN"],"#Conditions_Boolean","is_bool","a boolean","use `true` or `false`",
 {"Bool":{"aws:MultiFactorAuthPresent":"yes"}},{"Bool":{"aws:MultiFactorAuthPresent":"true"}},
 "Flags a `Bool` condition value other than `true` or `false`.",
 "Any other value never matches the request, so an Allow grants nothing and a Deny protects nothing.")
typed("GL045","non-numeric-value","Numeric",["TYPE_MISMATCH_NUMBER"],"#Conditions_Numeric","is_number","a number","write an integer or decimal number",
 {"NumericLessThanEquals":{"s3:max-keys":"ten"}},{"NumericLessThanEquals":{"s3:max-keys":"10"}},
 "Flags a value of a `Numeric...` operator that is not a number.",
 "IAM cannot compare it, so the condition never matches (or, negated, always matches).")
typed("GL046","invalid-date-value","Date",["TYPE_MISMATCH_DATE","INVALID_DATE_VALUE"],"#Conditions_Date","is_date","an ISO 8601 date or epoch time","use an ISO 8601 date such as `2026-01-31T00:00:00Z`, or epoch seconds",
 {"DateLessThan":{"aws:CurrentTime":"31/01/2026"}},{"DateLessThan":{"aws:CurrentTime":"2026-01-31T00:00:00Z"}},
 "Flags a value of a `Date...` operator that is not a W3C ISO 8601 date or an epoch time.",
 "A date IAM cannot read never matches, so a time-boxed grant or deny silently does not work. Wildcards are not allowed in dates.")
typed("GL047","invalid-ip-value","Ip",["TYPE_MISMATCH_IP_RANGE"],"#Conditions_IPAddress","is_ip_or_cidr","an IPv4/IPv6 address or CIDR range","use CIDR notation such as `203.0.113.0/24`",
 {"IpAddress":{"aws:SourceIp":"203.0.113.0/33"}},{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}},
 "Flags a value of `IpAddress`/`NotIpAddress` that is not an IP address or CIDR range.",
 "An unreadable range never matches: an `IpAddress` allow grants nothing, a `NotIpAddress` deny applies to everyone.")
typed("GL048","invalid-binary-value","Binary",["TYPE_MISMATCH_STRING"],"#Conditions_BinaryEquals","is_base64","a base64 string","write the value base64-encoded",
 {"BinaryEquals":{"aws:PrincipalTag/key":"not base64!"}},{"BinaryEquals":{"aws:PrincipalTag/key":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}},
 "Flags a `BinaryEquals` value that is not valid base64.",
 "The condition compares base64-decoded bytes; a value that is not base64 never matches.")

rule("GL049","ip-range-host-bits","Suggestion","all",["IMPROVE_IP_RANGE"],CO+"#Conditions_IPAddress",
'''
for s in &cx.policy.statements {
    for c in &s.conditions {
        if c.op.base.family() != OpFamily::Ip { continue; }
        for v in &c.values {
            if let Some(fixed) = ip::network_of(&v.text) {
                if fixed != v.text {
                    out.push(cx.finding(&RULE, v.span, format!("`{}` has bits set after the prefix length; IAM ignores them", v.text))
                        .help(format!("write `{fixed}`")));
                }
            }
        }
    }
}
''',
"Flags a CIDR range with host bits set, such as `203.0.113.7/24`.",
"IAM ignores the bits after the prefix, so the range is wider than it looks (`203.0.113.7/24` is `203.0.113.0/24`).",
P(S(Condition={"IpAddress":{"aws:SourceIp":"203.0.113.7/24"}})), P(S(Condition={"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}})))

src_ip_body = '''
for s in &cx.policy.statements {
    for c in &s.conditions {
        if c.key_lower != "aws:sourceip" || c.op.base.family() != OpFamily::Ip || c.values.is_empty() { continue; }
        let private: Vec<&CondValue> = c.values.iter().filter(|v| ip::is_private(&v.text)).collect();
        if private.is_empty() { continue; }
        let all = private.len() == c.values.len();
        if all == ALL_PRIVATE {
            for v in private {
                out.push(cx.finding(&RULE, v.span, format!("`{}` is a private range; `aws:SourceIp` holds only public addresses", v.text))
                    .help(if c.op.base == OpBase::NotIpAddress { "the private range has no effect; for private networks use `aws:VpcSourceIp` or `aws:SourceVpc`/`aws:SourceVpce`" } else { "requests through a VPC endpoint carry `aws:VpcSourceIp` instead; use it (or `aws:SourceVpce`) for private ranges" }));
            }
        }
    }
}
'''
rule("GL050","source-ip-private-only","Error","all",["PRIVATE_IP_ADDRESS","PRIVATE_NOTIPADDRESS"],U+"reference_policies_condition-keys.html#condition-keys-sourceip",
"const ALL_PRIVATE: bool = true;\n" + src_ip_body,
"Flags an `aws:SourceIp` condition whose ranges are all private (RFC 1918, loopback, link-local, IPv6 ULA).",
"`aws:SourceIp` contains only public addresses; through a VPC endpoint it is absent. An `IpAddress` allow on private ranges never matches, a `NotIpAddress` deny on them always applies.",
P(S(Condition={"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}})), P(S(Condition={"IpAddress":{"aws:VpcSourceIp":"10.0.0.0/8"}})))
rule("GL051","source-ip-private-mixed","Suggestion","all",["PRIVATE_IP_ADDRESS_SUBSET","PRIVATE_NOTIPADDRESS_SUBSET"],U+"reference_policies_condition-keys.html#condition-keys-sourceip",
"const ALL_PRIVATE: bool = false;\n" + src_ip_body,
"Flags private ranges mixed with public ones in an `aws:SourceIp` condition.",
"The private ranges never match `aws:SourceIp`, so they do nothing and suggest an access path that does not exist.",
P(S(Condition={"IpAddress":{"aws:SourceIp":["203.0.113.0/24","192.168.0.0/16"]}})), P(S(Condition={"IpAddress":{"aws:SourceIp":["203.0.113.0/24"]}})))
