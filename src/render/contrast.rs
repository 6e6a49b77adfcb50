//! WCAG contrast: relative luminance, contrast ratio, and nudging a colour until it meets a ratio.

/// WCAG relative luminance of `#rrggbb` (`None` for anything else).
pub fn luminance(hex: &str) -> Option<f64> {
    let h = hex.strip_prefix('#')?;
    if h.len() != 6 {
        return None;
    }
    let c = |i: usize| -> Option<f64> {
        let v = u8::from_str_radix(h.get(i..i + 2)?, 16).ok()? as f64 / 255.0;
        Some(if v <= 0.03928 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) })
    };
    Some(0.2126 * c(0)? + 0.7152 * c(2)? + 0.0722 * c(4)?)
}

/// The contrast ratio of two `#rrggbb` colours.
pub fn ratio(a: &str, b: &str) -> Option<f64> {
    let (x, y) = (luminance(a)?, luminance(b)?);
    Some((x.max(y) + 0.05) / (x.min(y) + 0.05))
}

/// `fg` mixed step by step towards white (on dark backgrounds) or black (on light ones) until
/// it reaches `min` against `bg`. Colours that already do are returned unchanged.
pub fn ensure(fg: &str, bg: &str, min: f64) -> String {
    let Some(start) = ratio(fg, bg) else { return fg.to_string() };
    if start >= min {
        return fg.to_string();
    }
    let towards: u8 = if luminance(bg).unwrap_or(1.0) < 0.5 { 255 } else { 0 };
    let rgb: Vec<u8> = (0..3).filter_map(|i| u8::from_str_radix(&fg[1 + 2 * i..3 + 2 * i], 16).ok()).collect();
    for step in 1..=20 {
        let t = step as f64 / 20.0;
        let mixed: String = rgb
            .iter()
            .map(|&c| format!("{:02x}", (c as f64 + (towards as f64 - c as f64) * t).round() as u8))
            .collect();
        let candidate = format!("#{mixed}");
        if ratio(&candidate, bg).is_some_and(|r| r >= min) {
            return candidate;
        }
    }
    if towards == 255 { "#ffffff".into() } else { "#000000".into() }
}

/// Every `color: #rrggbb` in `css`, nudged to meet `min` against `bg`.
pub fn ensure_css(css: &str, bg: &str, min: f64) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("color: #") {
        let (head, tail) = rest.split_at(i + "color: ".len());
        out.push_str(head);
        let hex = tail.get(..7).unwrap_or("");
        // `color` itself, not `background-color` or `border-color`.
        let property = i == 0 || !rest[..i].ends_with('-');
        if property && luminance(hex).is_some() {
            out.push_str(&ensure(hex, bg, min));
            rest = &tail[7..];
        } else {
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_and_nudges() {
        assert!((ratio("#ffffff", "#000000").unwrap() - 21.0).abs() < 0.01);
        let faint = "#969896";
        assert!(ratio(faint, "#f3f5f8").unwrap() < 4.5);
        let fixed = ensure(faint, "#f3f5f8", 4.5);
        assert!(ratio(&fixed, "#f3f5f8").unwrap() >= 4.5, "{fixed}");
        let dark = ensure("#4f5b66", "#1b2030", 4.5);
        assert!(ratio(&dark, "#1b2030").unwrap() >= 4.5, "{dark}");
        assert_eq!(ensure("#000000", "#ffffff", 4.5), "#000000");
        let css = ensure_css(".a { color: #969896; }\n.b { background-color: #ffffff; }", "#f3f5f8", 4.5);
        assert!(!css.contains("#969896") && css.contains("background-color: #ffffff"), "{css}");
    }
}
