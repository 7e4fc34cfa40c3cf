//! How a diagram sits in a page: its figure carries the drawing's own width, so the theme can
//! shrink a wide diagram to the screen only down to a readable scale and let it scroll sideways
//! beyond that (on a phone, a lane diagram fitted to 390 px would draw 13 px labels at 3 px).

/// The ` style="--w:N" tabindex="0"` attributes for the `<figure>` around `svg`, N being the
/// root element's `width` in pixels (the figure may scroll, so a keyboard must reach it);
/// empty when the SVG states no plain width.
pub fn scroll_attributes(svg: &str) -> String {
    root_width(svg)
        .map(|w| format!(" style=\"--w:{w}\" tabindex=\"0\""))
        .unwrap_or_default()
}

/// The digits of the root `<svg>` element's `width` attribute.
fn root_width(svg: &str) -> Option<&str> {
    let start = svg.find("<svg ")?;
    let tag = &svg[start..start + svg[start..].find('>')?];
    let value = tag.split(" width=\"").nth(1)?.split('"').next()?;
    let plain = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    plain.then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_width_becomes_the_figure_variable() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1309 1252\" width=\"1309\" height=\"1252\"><rect width=\"5\"/></svg>";
        assert_eq!(scroll_attributes(svg), " style=\"--w:1309\" tabindex=\"0\"");
    }

    #[test]
    fn a_width_only_inside_the_drawing_is_not_taken() {
        assert_eq!(
            scroll_attributes("<svg viewBox=\"0 0 10 10\"><rect width=\"5\"/></svg>"),
            ""
        );
    }

    #[test]
    fn a_width_with_a_unit_is_not_taken() {
        assert_eq!(scroll_attributes("<svg width=\"100%\" height=\"4\">"), "");
    }
}
