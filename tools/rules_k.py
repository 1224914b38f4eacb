import sys; sys.path.insert(0, "tools")
from rulegen import *
rule("GL116","invalid-character","Error","all",[],U+"reference_iam-quotas.html#reference_iam-quotas-entity-length",
'''
let text = cx.source().slice(cx.policy.span);
let base = cx.policy.span.start as usize;
for (i, ch) in text.char_indices() {
    let ok = matches!(ch, '\\t' | '\\n' | '\\r') || ('\\u{20}'..='\\u{ff}').contains(&ch);
    if !ok {
        out.push(cx.finding(&RULE, Span::new(base + i, base + i + ch.len_utf8()), format!("the character U+{:04X} is not allowed in an IAM policy", ch as u32))
            .help("IAM accepts only tab, LF, CR and U+0020 to U+00FF; look for look-alike letters (Cyrillic `а` for Latin `a`), zero-width or line-separator characters"));
        break;
    }
}
''',
"Flags the first character outside the set IAM accepts in policy documents (tab, LF, CR and U+0020 to U+00FF), such as a Cyrillic `а` in `iam:Pаss*` or U+2028.",
"IAM rejects the document. A look-alike letter in a Deny is a deny that never deploys, or one that protects nothing.",
'{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Deny", "Action": "iam:P\u0430ssRole", "Resource": "*"}\n  ]\n}\n',
P(S(effect="Deny", action="iam:PassRole", resource="*")))

rule("GL117","leading-whitespace","Warning","all",[],U+"troubleshoot_policies.html",
'''
if cx.source().name.contains('#') { return; }
let start = cx.policy.span.start as usize;
if start > 0 && cx.source().text.get(..start).is_some_and(|t| t.chars().all(char::is_whitespace)) {
    out.push(cx.finding(&RULE, Span::new(0, start), "the document starts with whitespace before `{`")
        .label("leading whitespace")
        .help("remove it: the IAM console rejects leading spaces and the API reports \\"The policy failed legacy parsing\\" (Access Analyzer does not notice)"));
}
''',
"Flags whitespace or blank lines before the opening `{` of a policy file.",
"The IAM console and API reject such documents (\"JSON strings must not have leading spaces\", \"The policy failed legacy parsing\"), although Access Analyzer's ValidatePolicy passes them.",
"\n" + P(S()), P(S()))

rule("GL118","version-after-statement","Warning","all",[],U+"reference_policies_elements_version.html",
'''
if let Some(v) = &cx.policy.version {
    if cx.policy.statement_is_object && v.span.start > cx.policy.statement_key_span.start {
        out.push(cx.finding(&RULE, v.span, "`Version` comes after an object-valued `Statement`")
            .help("put `Version` first: IAM has rejected this order with \\"The policy failed legacy parsing\\""));
    }
}
''',
"Flags a `Version` element placed after a `Statement` written as a single object.",
"IAM has been observed to reject this order (\"The policy failed legacy parsing\") although it is valid JSON.",
'{\n  "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"},\n  "Version": "2012-10-17"\n}\n', P(S()))
