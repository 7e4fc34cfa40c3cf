//! Masking secrets in included files: the values assigned to the named keys become
//! `********`, whatever the file's syntax (PHP, INI, YAML, JSON).

/// Replaces the values assigned to `keys` (`$dbpassword = 'x';`, `dbpassword=x`,
/// `dbpassword: x`, `"dbpassword": "x"`) with `********`, keeping the rest of the line.
pub(crate) fn mask_values(text: &str, keys: &[String]) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        out.push_str(&mask_line(line, keys));
    }
    out
}

fn mask_line(line: &str, keys: &[String]) -> String {
    for key in keys {
        let Some(at) = find_key(line, key) else {
            continue;
        };
        let after_key = at + key.len();
        let rest = &line[after_key..];
        let Some(op) = rest.find(['=', ':']) else {
            continue;
        };
        if !rest[..op].trim().trim_matches(['"', '\'']).is_empty() {
            continue;
        }
        let value_start = after_key + op + 1;
        let value_region = &line[value_start..];
        let trimmed = value_region.trim_start();
        let lead = value_region.len() - trimmed.len();
        let start = value_start + lead;
        let (end, quoted) = match trimmed.chars().next() {
            Some(q @ ('\'' | '"')) => match trimmed[1..].find(q) {
                Some(close) => (start + 1 + close, true),
                None => continue,
            },
            _ => (
                start
                    + trimmed
                        .find([';', ',', '\n', '\r'])
                        .unwrap_or(trimmed.len()),
                false,
            ),
        };
        let (from, to) = if quoted {
            (start + 1, end)
        } else {
            (start, end)
        };
        let mut masked = String::with_capacity(line.len());
        masked.push_str(&line[..from]);
        masked.push_str("********");
        masked.push_str(&line[to..]);
        return masked;
    }
    line.to_string()
}

/// The byte offset of `key` as a whole word in `line` (`$dbpassword`, `dbpassword`).
fn find_key(line: &str, key: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = line[from..].find(key) {
        let at = from + i;
        let before = line[..at].chars().next_back();
        let after = line[at + key.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        if !word(before) && !word(after) {
            return Some(at);
        }
        from = at + key.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_php_ini_and_yaml_values() {
        let keys = vec!["dbpassword".to_string()];
        assert_eq!(
            mask_values("   public $dbpassword = 'S3cr3t!';\n", &keys),
            "   public $dbpassword = '********';\n"
        );
        assert_eq!(
            mask_values("dbpassword=S3cr3t\n", &keys),
            "dbpassword=********\n"
        );
        assert_eq!(
            mask_values("dbpassword: \"a b\"\n", &keys),
            "dbpassword: \"********\"\n"
        );
        assert_eq!(
            mask_values("public $dbpassword_old = 'x';\n", &keys),
            "public $dbpassword_old = 'x';\n"
        );
        assert_eq!(
            mask_values("public $dbuser = 'glpi';\n", &keys),
            "public $dbuser = 'glpi';\n"
        );
    }
}
