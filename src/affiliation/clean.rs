//! Text as people type it, made readable: invisible characters dropped
//! (zero-width spaces, joiners, soft hyphens, byte-order marks), full-width
//! forms folded (`＠ａｃｍｅ` is `@acme`), trademark and copyright signs
//! dropped (`Acme™`), a space put between Latin letters and Japanese,
//! Chinese or Korean ones (`株式会社Acme`, `Acme에서`), and the Japanese,
//! Chinese and Korean ways of saying "former", "until", "now" or "employee"
//! rewritten into the words `markers.rs` reads.

use std::borrow::Cow;

/// A rewriting: `from` becomes `to` (padded with spaces).
struct Rule {
    from: &'static str,
    to: &'static str,
    /// Only at the start of a word (not after a letter of any script).
    at_start: bool,
    /// Not when one of these characters follows ("前端" is "front end").
    not_before: &'static str,
    /// Only when what follows is no Japanese, Chinese or Korean letter
    /// (Korean "전 Google", not "전자").
    before_break: bool,
}

const fn r(from: &'static str, to: &'static str) -> Rule {
    Rule {
        from,
        to,
        at_start: false,
        not_before: "",
        before_break: false,
    }
}

const fn prefix(from: &'static str, to: &'static str, not_before: &'static str) -> Rule {
    Rule {
        from,
        to,
        at_start: true,
        not_before,
        before_break: false,
    }
}

/// Longer forms first where one contains another.
const RULES: &[Rule] = &[
    // Legal forms written before or after the name: 株式会社Acme, Acme有限公司.
    r("株式会社", "kk"),
    r("有限会社", "kk"),
    r("合同会社", "kk"),
    r("股份有限公司", "ltd"),
    r("有限责任公司", "ltd"),
    r("有限公司", "ltd"),
    r("公司", "co"),
    r("주식회사", "inc"),
    r("㈜", "inc"),
    // Japanese
    prefix("元", "ex", "気来々素本年号祖首値旦日"),
    r("前職", "previously"),
    r("以前は", "previously"),
    r("出身", "alum"),
    r("退職", "alum"),
    r("卒業", "alum"),
    r("現職", "now"),
    r("現在", "now"),
    r("まで", "until"),
    r("から", "since"),
    r("で働いて", "employee"),
    r("勤務", "employee"),
    r("所属", "employee"),
    r("社員", "employee"),
    r("在籍", "employee"),
    r("非公式", "unofficial"),
    r("関係者ではありません", "not affiliated"),
    r("関係ありません", "not affiliated"),
    r("無関係", "not affiliated"),
    // Chinese (simplified and traditional)
    r("曾就职于", "worked at"),
    r("曾就職於", "worked at"),
    r("曾任职于", "worked at"),
    r("曾任職於", "worked at"),
    r("曾供职于", "worked at"),
    r("曾经在", "worked at"),
    r("曾經在", "worked at"),
    r("之前在", "worked at"),
    r("以前在", "worked at"),
    r("曾在", "worked at"),
    r("曾任", "worked at"),
    r("已离职", "alum"),
    r("已離職", "alum"),
    r("离职", "alum"),
    r("離職", "alum"),
    r("现就职于", "now at"),
    r("現就職於", "now at"),
    r("就职于", "now at"),
    r("就職於", "now at"),
    r("任职于", "now at"),
    r("任職於", "now at"),
    r("供职于", "now at"),
    r("目前在", "now at"),
    r("现在", "now"),
    r("目前", "now"),
    r("员工", "employee"),
    r("員工", "employee"),
    r("至今", "present"),
    prefix("至", "until", "少於于"),
    r("非官方", "unofficial"),
    r("无关", "not affiliated"),
    r("無關", "not affiliated"),
    prefix("前", "ex", "端沿期后後台进進面景提言天年往"),
    prefix("原", "ex", "生理创創子型则則因来來始本文版名稿件"),
    // Korean
    Rule {
        from: "전",
        to: "ex",
        at_start: true,
        not_before: "",
        before_break: true,
    },
    r("출신", "alum"),
    r("퇴사", "alum"),
    r("근무했", "alum"),
    r("재직했", "alum"),
    r("일했", "alum"),
    r("다녔", "alum"),
    r("재직 중", "employee"),
    r("재직중", "employee"),
    r("근무 중", "employee"),
    r("근무중", "employee"),
    r("재직", "employee"),
    r("근무", "employee"),
    r("직원", "employee"),
    r("에서", "employee"),
    r("현재", "now"),
    r("까지", "until"),
    r("부터", "since"),
    r("비공식", "unofficial"),
    r("무관", "not affiliated"),
    r("관계없", "not affiliated"),
];

/// Dropped where they stand: they look like nothing, or like decoration.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '™'
            | '®'
            | '©'
            | '℠'
            | '℗'
    )
}

/// A letter of Japanese, Chinese or Korean.
fn cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{1100}'..='\u{11FF}'
        | '\u{3130}'..='\u{318F}' | '\u{3200}'..='\u{32FF}')
}

/// Full-width ASCII to ASCII, the ideographic space to a space, and the
/// ideographic punctuation to its Latin form.
fn fold_width(c: char) -> char {
    match c {
        '〜' | '～' => '-',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '、' => ',',
        '。' => '.',
        '・' => ' ',
        '【' | '「' | '『' | '〔' => '(',
        '】' | '」' | '』' | '〕' => ')',
        _ => c,
    }
}

/// The text, readable; borrowed when there is nothing to change.
pub fn clean(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    let mut prev: Option<char> = None;
    'outer: while let Some(c) = rest.chars().next() {
        if c.is_ascii() {
            // A run of ASCII is copied at once: no rule starts with it, and
            // no invisible or full-width character is ASCII. Only its first
            // character may need a space, after a CJK letter.
            let run = rest
                .bytes()
                .position(|b| !b.is_ascii())
                .unwrap_or(rest.len());
            if c.is_ascii_alphanumeric() && prev.is_some_and(cjk) {
                out.push(' ');
            }
            out.push_str(&rest[..run]);
            prev = rest[..run].chars().next_back();
            rest = &rest[run..];
            continue;
        }
        if cjk(c) {
            for rule in RULES {
                if let Some(after) = rest.strip_prefix(rule.from)
                    && applies(rule, prev, after)
                {
                    out.push(' ');
                    out.push_str(rule.to);
                    out.push(' ');
                    prev = Some(' ');
                    rest = after;
                    continue 'outer;
                }
            }
            // "2016年", "3月": the unit after a number goes.
            if matches!(c, '年' | '月' | '日' | '년' | '월' | '일')
                && prev.is_some_and(|p| p.is_ascii_digit())
            {
                out.push(' ');
                prev = Some(' ');
                rest = &rest[c.len_utf8()..];
                continue;
            }
        }
        rest = &rest[c.len_utf8()..];
        if invisible(c) {
            continue;
        }
        let c = fold_width(c);
        if let Some(p) = prev
            && ((p.is_ascii_alphanumeric() && cjk(c)) || (cjk(p) && c.is_ascii_alphanumeric()))
        {
            out.push(' ');
        }
        out.push(c);
        prev = Some(c);
    }
    Cow::Owned(out)
}

fn applies(rule: &Rule, prev: Option<char>, after: &str) -> bool {
    let next = after.chars().next();
    if rule.at_start && prev.is_some_and(|p| p.is_alphanumeric()) {
        return false;
    }
    if next.is_some_and(|n| rule.not_before.contains(n)) {
        return false;
    }
    !(rule.before_break && next.is_some_and(cjk))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_and_signs_go() {
        assert_eq!(clean("Ac\u{200B}me\u{FEFF}"), "Acme");
        assert_eq!(clean("Acme™ Corp®"), "Acme Corp");
        assert_eq!(clean("soft\u{00AD}ware"), "software");
        assert_eq!(clean("plain ascii"), "plain ascii");
    }

    #[test]
    fn full_width_forms_fold() {
        assert_eq!(clean("＠ａｃｍｅ"), "@acme");
        assert_eq!(clean("Ａｃｍｅ（ＧｍｂＨ）"), "Acme(GmbH)");
    }

    #[test]
    fn japanese_chinese_and_korean_markers_are_rewritten() {
        assert_eq!(
            clean("元Google社員").split_whitespace().collect::<Vec<_>>(),
            ["ex", "Google", "employee"]
        );
        assert_eq!(clean("地元").trim(), "地元");
        assert_eq!(clean("前端工程师").trim(), "前端工程师");
        assert!(clean("曾就职于Acme").contains("worked at"));
        assert_eq!(
            clean("2016年〜現在").split_whitespace().collect::<Vec<_>>(),
            ["2016", "-", "now"]
        );
        assert!(clean("전 Google 엔지니어").starts_with(" ex "));
        assert!(!clean("전자공학").contains("ex"));
        assert!(clean("Acme에서 근무했습니다").contains("alum"));
        assert_eq!(clean("株式会社Acme"), " kk Acme");
    }
}
