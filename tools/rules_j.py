import sys; sys.path.insert(0, "tools")
from rulegen import *
rule("GL115","unknown-service-in-arn","Error","all",["INVALID_SERVICE"],U+"reference-arns.html",
'''
let cat = crate::catalog::active();
static ARN_SERVICES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
let known = ARN_SERVICES.get_or_init(|| {
    let mut v: Vec<String> = cat
        .services()
        .flat_map(|s| s.resource_types().flat_map(|r| r.arn_formats()).filter_map(|f| arn_fields(f).map(|x| x[2].to_ascii_lowercase())).collect::<Vec<_>>())
        .chain(cat.services().map(|s| s.name().to_ascii_lowercase()))
        .collect();
    v.sort();
    v.dedup();
    v
});
for s in &cx.policy.statements {
    let Some(r) = &s.resource else { continue };
    for i in &r.items {
        let Some(f) = arn_fields(&i.value) else { continue };
        let svc = f[2];
        if svc.is_empty() || svc.contains(['*', '?']) || svc.contains("${") || known.binary_search(&svc.to_ascii_lowercase()).is_ok() { continue; }
        let mut fnd = cx.finding(&RULE, i.span, format!("the service `{svc}` in `{}` does not exist", i.value));
        fnd = match cat.suggest(svc, 1).first() {
            Some(x) => fnd.help(format!("did you mean `{x}`? (retired services are reported too)")),
            None => fnd.help("check the service name in the ARN; retired services are reported too"),
        };
        out.push(fnd);
    }
}
''',
"Flags a resource ARN whose service field names no service in the catalog (neither an action prefix nor the service of any ARN format).",
"The ARN matches no resource; a typo or a retired service leaves the statement without effect.",
P(S(action="s3:GetObject", resource="arn:aws:s4:::example-bucket/*")), P(S()), limits="Decided with the IAM action catalog.")
