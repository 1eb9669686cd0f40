//! The dashboard's stylesheet, embedded in every page: the pages make no
//! other request.

/// The CSS of every dashboard page.
pub const CSS: &str = r#"
:root {
  color-scheme: light dark;
  --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa;
  --line: #d1d9e0; --link: #0550ae; --accent: #1f883d; --accent-fg: #ffffff;
  --note: #fff8c5;
}
@media (prefers-color-scheme: dark) {
  :root {
    --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #151b23;
    --line: #3d444d; --link: #4493f8; --accent: #238636; --accent-fg: #ffffff;
    --note: #3b2e00;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
a { color: var(--link); }
a:focus-visible, button:focus-visible, select:focus-visible {
  outline: 2px solid var(--link); outline-offset: 2px;
}
.top {
  display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem;
  padding: .6rem 1rem; border-bottom: 1px solid var(--line); background: var(--panel);
}
.top .brand { font-weight: 600; color: var(--fg); text-decoration: none; margin-right: auto; }
.top form { margin: 0; }
main { max-width: 80rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .75rem; }
.muted, .evidence { color: var(--muted); }
.back { display: inline-block; margin-bottom: .5rem; }
button, .button {
  font: inherit; padding: .35rem .9rem; border-radius: 6px; cursor: pointer;
  border: 1px solid var(--line); background: var(--panel); color: var(--fg);
  text-decoration: none; display: inline-block;
}
.button.primary { background: var(--accent); color: var(--accent-fg); border-color: transparent; padding: .6rem 1.2rem; }
.filters {
  display: flex; flex-wrap: wrap; align-items: flex-end; gap: .75rem;
  padding: .75rem; border: 1px solid var(--line); border-radius: 8px; background: var(--panel);
}
.filters label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); }
.filters select {
  font: inherit; color: var(--fg); background: var(--bg); max-width: 16rem;
  padding: .3rem; border: 1px solid var(--line); border-radius: 6px;
}
.filters .export { margin-left: auto; align-self: center; }
.figures { display: flex; flex-wrap: wrap; gap: 1rem; margin: 1rem 0; padding: 0; }
.figures div { min-width: 8rem; padding: .5rem .75rem; border: 1px solid var(--line); border-radius: 8px; }
.figures dt { font-size: .85rem; color: var(--muted); }
.figures dd { margin: 0; font-size: 1.5rem; font-weight: 600; font-variant-numeric: tabular-nums; }
/* On a phone, wide tables and the chart scroll inside their box; the page never does. */
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; max-width: 100%; }
main, section, .chart, .figures, .filters, .empty { max-width: 100%; min-width: 0; }
img, svg { max-width: 100%; }
.chart .plot { max-width: none; }
.filters label { max-width: 100%; }
.filters select { max-width: min(16rem, 100%); }
code, .sightings a { overflow-wrap: anywhere; }
@media (max-width: 40rem) {
  main { padding: .75rem .5rem; }
  .figures div { min-width: 6.5rem; flex: 1 1 6.5rem; }
  .filters .export { margin-left: 0; }
}
table { border-collapse: collapse; width: 100%; }
table.narrow { width: auto; min-width: min(100%, 32rem); }
th, td { padding: .4rem .6rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; white-space: nowrap; }
th { font-size: .85rem; color: var(--muted); font-weight: 600; }
tbody th { font-size: 1em; color: var(--fg); font-weight: 500; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
th.name, td.name { white-space: normal; min-width: 10rem; }
.tier { display: inline-block; padding: 0 .5rem; border: 1px solid var(--line); border-radius: 1rem; font-size: .85rem; }
.empty { margin: 1rem 0; padding: .25rem 1rem; border-radius: 8px; background: var(--note); }
.sightings { list-style: none; padding: 0; margin: 0; }
.sightings li { padding: .6rem 0; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
.sightings time { font-variant-numeric: tabular-nums; color: var(--muted); margin-right: .5rem; }
.sightings .evidence { font-size: .85rem; margin-top: .15rem; }
.chart { margin: 1rem 0; }
.chart .plot { display: block; min-width: 30rem; max-height: 22rem; height: auto; }
.chart text { fill: var(--muted); font-size: 12px; }
.chart .axis { stroke: var(--line); }
.legend { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; padding: 0; margin: .5rem 0 0; font-size: .85rem; }
.legend svg { vertical-align: -1px; margin-right: .3rem; }
.visually-hidden {
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
.answer { display: flex; flex-wrap: wrap; gap: .25rem; margin: .25rem 0 0; }
.answer button { font-size: .8rem; padding: .1rem .5rem; }
td.answers { white-space: normal; min-width: 14rem; }
.said { font-size: .85rem; }
.notice { padding: .75rem; border-radius: 6px; background: var(--note); }
.sign-in { max-width: 32rem; margin: 3rem auto; }
.refused { padding: .75rem; border-radius: 6px; background: var(--note); }
code { background: var(--panel); padding: .1rem .3rem; border-radius: 4px; overflow-wrap: anywhere; }
@media (max-width: 40rem) {
  main { padding: .75rem; }
  .filters label, .filters select { width: 100%; max-width: none; }
  .filters .export { margin-left: 0; }
}
"#;

#[cfg(test)]
mod tests {
    use super::CSS;

    #[test]
    fn makes_no_request_and_cannot_close_its_element() {
        assert!(!CSS.contains("url("));
        assert!(!CSS.contains("@import"));
        assert!(!CSS.to_lowercase().contains("</style"));
    }
}
