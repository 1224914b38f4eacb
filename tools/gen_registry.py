# Regenerates src/lint/rules/mod.rs from the rule files (one `pub static RULE` per file).
import os, re
files = sorted(f[:-3] for f in os.listdir('src/lint/rules') if f.endswith('.rs') and f != 'mod.rs')
codes = []
for f in files:
    t = open(f'src/lint/rules/{f}.rs').read()
    codes.append((re.search(r'code: "(GL\d+)"', t).group(1), f))
codes.sort()
out = '//! The rule registry: one rule per file, listed here in code order.\n\nuse super::Rule;\n\n'
out += ''.join(f'pub mod {f};\n' for f in files)
out += '\n/// Every registered rule, in code order.\npub static ALL: &[&Rule] = &[\n' + ''.join(f'    &{f}::RULE,\n' for c, f in codes) + '];\n'
out += '''
/// A rule by its kebab-case name.
pub fn by_name(name: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.name == name)
}

/// A rule by code (case-insensitive) or name.
pub fn lookup(code_or_name: &str) -> Option<&'static Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}
'''
open('src/lint/rules/mod.rs', 'w').write(out)
print(len(codes))
